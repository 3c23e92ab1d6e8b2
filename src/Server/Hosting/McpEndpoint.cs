using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Operations;
using Firecrest.Mcp;
using Firecrest.Server.Auth;
using ModelContextProtocol.Server;

namespace Firecrest.Server.Hosting;

/// <summary>MCP over Streamable HTTP at <c>/mcp</c>, behind the REST API's JWT authentication: tools act as the token's user.</summary>
public static class McpEndpoint
{
    /// <summary>The route of the MCP endpoint.</summary>
    public const string Route = "/mcp";

    /// <summary>Registers the MCP server with the FirecREST tools (options from the <c>Mcp</c> configuration section; no local-file tools).</summary>
    public static IServiceCollection AddFirecrestMcp(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Mcp").Get<McpToolOptions>() ?? new McpToolOptions();
        options.LocalFiles = false;
        services.AddOptions<McpHttpOptions>().BindConfiguration("Mcp");
        services.AddHttpContextAccessor();
        services.AddSingleton<IHpcOperationsAccessor, RequestUserOperationsAccessor>();
        services.AddHostedService<McpPrimitivesWarmup>();
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "firecrest", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "0" })
            // Stateless: every POST stands alone, so the tools always see the HttpContext (and token) of their own request.
            .WithHttpTransport(o => o.Stateless = true)
            .WithFirecrest(options);
        return services;
    }

    /// <summary>Maps <c>/mcp</c>; unauthenticated requests get 401 like the REST API.</summary>
    public static WebApplication MapFirecrestMcp(this WebApplication app)
    {
        // Not part of the REST contract: kept out of the OpenAPI document.
        app.MapMcp(Route).RequireAuthorization().ExcludeFromDescription();
        app.MapMcpResourceMetadata();
        return app;
    }

    /// <summary>The operations of the request's authenticated user, resolved like the REST API does.</summary>
    private sealed class RequestUserOperationsAccessor(IHttpContextAccessor http, IHpcEngine engine, FirecrestSettings settings) : IHpcOperationsAccessor
    {
        public IHpcOperations Get() => engine.ForUser(User());

        public string Caller => User().Username;

        private Core.UserIdentity User()
        {
            var context = http.HttpContext ?? throw new ModelContextProtocol.McpException("No HTTP request is in progress; MCP tools over HTTP need an authenticated request.");
            return RequestUser.Resolve(context, settings);
        }
    }
}
