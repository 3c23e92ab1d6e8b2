using System.Reflection;
using Firecrest.Mcp.Contract;
using Firecrest.Mcp.Prompts;
using Firecrest.Mcp.Resources;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp;

/// <summary>
/// The tools, resources and prompts of the server, created when the server's options are first read (the first MCP
/// request, or a warm-up after the host has started) rather than while the host starts: deriving their JSON schemas
/// and URI template parsers by reflection takes about half a second. Each is created once, whatever the number of
/// times the options are built.
/// </summary>
internal sealed class McpPrimitives(IReadOnlyList<MethodInfo> toolMethods, IServiceProvider services)
{
    private readonly Lazy<McpServerTool[]> tools = new(() => toolMethods.Select(CreateTool).ToArray());
    private readonly Lazy<McpServerResource[]> resources = new(() => CreateResources(services));
    private readonly Lazy<McpServerPrompt[]> prompts = new(() => CreatePrompts(services));

    /// <summary>Adds every primitive to the collections of <paramref name="options"/>.</summary>
    public void AddTo(McpServerOptions options)
    {
        options.ToolCollection ??= [];
        foreach (var tool in tools.Value) options.ToolCollection.Add(tool);
        options.ResourceCollection ??= [];
        foreach (var resource in resources.Value) options.ResourceCollection.Add(resource);
        options.PromptCollection ??= [];
        foreach (var prompt in prompts.Value) options.PromptCollection.Add(prompt);
    }

    private static McpServerTool CreateTool(MethodInfo method)
    {
        var type = method.DeclaringType!;
        var create = new McpServerToolCreateOptions { SerializerOptions = ToolSchemas.SerializerOptions, SchemaCreateOptions = ToolSchemas.CreateOptions };
        var tool = method.IsStatic
            ? McpServerTool.Create(method, target: null, create)
            : McpServerTool.Create(method, ctx => ActivatorUtilities.CreateInstance(ctx.Services ?? throw new InvalidOperationException("no services"), type), create);
        ToolSchemas.MakePortable(tool.ProtocolTool);
        return tool;
    }

    private static McpServerResource[] CreateResources(IServiceProvider services) =>
        Annotated<McpServerResourceAttribute>(typeof(JobResources))
            .Select(method => method.IsStatic
                ? McpServerResource.Create(method, target: null, new McpServerResourceCreateOptions { Services = services })
                : McpServerResource.Create(method, ctx => ActivatorUtilities.CreateInstance(ctx.Services ?? services, typeof(JobResources)), new McpServerResourceCreateOptions { Services = services }))
            .ToArray();

    private static McpServerPrompt[] CreatePrompts(IServiceProvider services) =>
        Annotated<McpServerPromptAttribute>(typeof(HpcPrompts))
            .Select(method => McpServerPrompt.Create(method, target: null, new McpServerPromptCreateOptions { Services = services }))
            .ToArray();

    private static IEnumerable<MethodInfo> Annotated<TAttribute>(Type type) where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.GetCustomAttribute<TAttribute>() is not null);
}
