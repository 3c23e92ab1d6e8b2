using System.Diagnostics.CodeAnalysis;
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
internal sealed class McpPrimitives(IReadOnlyList<ToolMethod> toolMethods, IServiceProvider services)
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

    private static McpServerTool CreateTool(ToolMethod tool)
    {
        var method = tool.Method;
        var type = tool.Type;
        var create = new McpServerToolCreateOptions { SerializerOptions = ToolSchemas.SerializerOptions, SchemaCreateOptions = ToolSchemas.CreateOptions };
        var created = method.IsStatic
            ? McpServerTool.Create(method, target: null, create)
            : McpServerTool.Create(method, ctx => ActivatorUtilities.CreateInstance(ctx.Services ?? throw new InvalidOperationException("no services"), type), create);
        ToolSchemas.MakePortable(created.ProtocolTool);
        return created;
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

    private static IEnumerable<MethodInfo> Annotated<TAttribute>([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type) where TAttribute : Attribute =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(m => m.GetCustomAttribute<TAttribute>() is not null);
}

/// <summary>A tool class, kept with its public constructors (tools are created per call) and methods (the tools).</summary>
internal readonly record struct ToolType(
    [DynamicallyAccessedMembers(ToolType.Kept)][property: DynamicallyAccessedMembers(ToolType.Kept)] Type Type)
{
    internal const DynamicallyAccessedMemberTypes Kept = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods;
}

/// <summary>A tool method and the class that declares it (created per call when the method is an instance method).</summary>
internal readonly record struct ToolMethod(
    MethodInfo Method,
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)][property: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type Type);
