using System.Diagnostics;
using System.Reflection;
using Firecrest.Core;
using Firecrest.Core.Batch;
using Firecrest.Mcp.Contract;
using Firecrest.Mcp.Prompts;
using Firecrest.Mcp.Resources;
using Firecrest.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Firecrest.Mcp;

/// <summary>Registers the FirecREST tools, resources and prompts on an MCP server (any transport).</summary>
public static class FirecrestMcp
{
    /// <summary>The name of the logger every tool call is logged to.</summary>
    public const string CallLogCategory = "Firecrest.Mcp.ToolCalls";

    /// <summary>
    /// Adds the tools allowed by <paramref name="options"/> (read-only only, optional command and local-file tools),
    /// the job resources and the prompts, and a filter that logs every call and turns engine errors into tool errors.
    /// The caller registers an <see cref="IHpcOperationsAccessor"/>; the waits use a registered <see cref="TimeProvider"/>
    /// (the system clock unless one is registered before).
    /// </summary>
    public static IMcpServerBuilder WithFirecrest(this IMcpServerBuilder builder, McpToolOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ToolGuard>();
        builder.Services.TryAddSingleton<IBatchRunStore>(sp => new InMemoryBatchRunStore(sp.GetRequiredService<TimeProvider>(), options.BatchRuns));
        builder.Services.Configure<McpServerOptions>(o => o.ServerInstructions ??= ServerInstructions.Text);
        var cancellation = new CallCancellation();
        builder.Services.AddSingleton(cancellation);
        var toolMethods = ToolMethods(options).ToArray();
        builder.Services.AddSingleton(sp => new McpPrimitives(toolMethods, sp));
        builder.Services.AddOptions<McpServerOptions>().Configure<McpPrimitives>((o, primitives) => primitives.AddTo(o));
        var clientLog = new ClientLog();
        return clientLog.HandleSetLevel(builder)
            .WithCompleteHandler(ArgumentCompletion.CompleteAsync)
            .WithRequestFilters(f =>
            {
                clientLog.AddTo(f);
                f.AddCallToolFilter(LogAndTranslate);
                f.AddCallToolFilter(cancellation.Filter);
                f.AddCallToolFilter(ToolArguments.Filter);
            })
            .WithMessageFilters(f => f.AddIncomingFilter(cancellation.MessageFilter));
    }

    /// <summary>
    /// Every <c>[McpServerToolType]</c> class of this assembly, named here rather than found by scanning the assembly so
    /// that a natively compiled server keeps them and their public methods (a test checks that none is missing).
    /// </summary>
    internal static readonly ToolType[] ToolTypes =
    [
        new(typeof(SystemsTools)), new(typeof(NodesTools)), new(typeof(FilesTools)), new(typeof(JobsTools)),
        new(typeof(JobControlTools)), new(typeof(JobArrayTools)), new(typeof(BatchTools)), new(typeof(CommandTools)),
        new(typeof(TransfersTools)),
    ];

    /// <summary>The methods of the tools allowed by <paramref name="options"/>, each with the class that declares it.</summary>
    private static IEnumerable<ToolMethod> ToolMethods(McpToolOptions options)
    {
        foreach (var tool in ToolTypes)
        {
            var type = tool.Type;
            if (type == typeof(CommandTools) && !options.AllowCommands) continue;
            if (type == typeof(TransfersTools) && !options.LocalFiles) continue;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var attribute = method.GetCustomAttribute<McpServerToolAttribute>();
                if (attribute is null || (options.ReadOnly && !attribute.ReadOnly)) continue;
                if (!options.EngineFeatures && method.GetCustomAttribute<EngineOnlyAttribute>() is not null) continue;
                yield return new ToolMethod(method, type);
            }
        }
    }

    /// <summary>Logs the call like a REST request (tool, user, outcome, duration) and turns <see cref="HpcException"/> into an error result.</summary>
    private static McpRequestHandler<CallToolRequestParams, CallToolResult> LogAndTranslate(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger(CallLogCategory);
            var tool = context.Params?.Name ?? "?";
            var user = context.User?.Identity?.Name ?? "-";
            var clock = Stopwatch.StartNew();
            try
            {
                var result = await next(context, cancellationToken);
                logger?.LogInformation("MCP tool {Tool} user {User} {Outcome} in {Elapsed} ms", tool, user, result.IsError == true ? "error" : "ok", clock.ElapsedMilliseconds);
                return result;
            }
            catch (HpcException e)
            {
                logger?.LogInformation("MCP tool {Tool} user {User} failed ({Kind}) in {Elapsed} ms: {Message}", tool, user, e.Kind, clock.ElapsedMilliseconds, e.Message);
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ToolErrors.Describe(e) }] };
            }
            catch (OperationCanceledException)
            {
                logger?.LogInformation("MCP tool {Tool} user {User} cancelled after {Elapsed} ms", tool, user, clock.ElapsedMilliseconds);
                throw;
            }
            catch (McpException e)
            {
                // A tool's own refusal: its message says what to change.
                logger?.LogInformation("MCP tool {Tool} user {User} refused in {Elapsed} ms: {Message}", tool, user, clock.ElapsedMilliseconds, e.Message);
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A fault of ours: no details (they may hold paths or hosts), and a retry may work.
                logger?.LogWarning(e, "MCP tool {Tool} user {User} failed in {Elapsed} ms", tool, user, clock.ElapsedMilliseconds);
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"{tool} failed on an internal error of the server. {ToolErrors.Hint(HpcErrorKind.Internal)}" }] };
            }
        };
}
