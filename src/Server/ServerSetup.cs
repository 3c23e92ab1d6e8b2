using Firecrest.Core.Json;
using Firecrest.Server.Apis;

namespace Firecrest.Server;

/// <summary>Service registration and pipeline of the FirecREST server.</summary>
public static class ServerSetup
{
    /// <summary>Registers the server's services.</summary>
    public static WebApplicationBuilder AddFirecrestServer(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o => FirecrestJson.Configure(o.SerializerOptions));
        return builder;
    }

    /// <summary>Adds the middleware.</summary>
    public static WebApplication UseFirecrestServer(this WebApplication app) => app;

    /// <summary>Maps every API group.</summary>
    public static WebApplication MapFirecrestApis(this WebApplication app)
    {
        app.MapStatusApi();
        return app;
    }
}
