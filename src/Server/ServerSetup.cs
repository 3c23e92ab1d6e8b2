using System.Text.Json.Serialization.Metadata;
using Firecrest.Core.Json;
using Firecrest.Server.Apis;
using Firecrest.Server.Apis.Requests;
using Firecrest.Server.Auth;
using Firecrest.Server.Errors;
using Firecrest.Server.Hosting;
using Firecrest.Server.Hosting.Telemetry;
using Firecrest.Server.Middleware;
using Firecrest.Server.SharedState;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Firecrest.Server;

/// <summary>Service registration and pipeline of the FirecREST server.</summary>
public static class ServerSetup
{
    /// <summary>Registers the server's services.</summary>
    public static WebApplicationBuilder AddFirecrestServer(this WebApplicationBuilder builder)
    {
        // appsettings.json next to the binaries, under every other source: started from any folder (content root
        // elsewhere), the server keeps its log levels, which hold the framework's URL loggers (queries may carry tokens)
        // at Warning.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
        // Scopes carry each line's trace and span ids and the request's X-Request-ID and X-Correlation-ID.
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        // Every log line passes the query redaction, whatever the configured levels (see RedactingLoggerFactory).
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new Logging.RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        var services = builder.Services;
        // The hosted services start side by side: building the engine, loading the data-protection keys and building
        // the endpoints (the web host) are independent, and with two cores or more this shortens the time to listening.
        // The configuration is loaded before any of them (the pipeline reads it), and a failure in any of them still
        // stops the host.
        services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        services.AddHostedService<GarbageCollectorLog>();
        services.ConfigureHttpJsonOptions(o =>
        {
            FirecrestJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Converters.Insert(0, new PydanticBooleanConverter());
            // Generated metadata first; the default resolver after them reflects only where the program allows it.
            o.SerializerOptions.TypeInfoResolver = JsonTypeInfoResolver.Combine(ServerJsonContext.Default, FirecrestJson.TypeInfoResolver,
                    o.SerializerOptions.TypeInfoResolver ?? JsonTypeInfoResolver.Combine())
                .WithAddedModifier(RequestKeyAliases.Apply);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddFirecrestSharedState(builder.Configuration);
        services.AddFirecrestEngine();
        services.AddSingleton<SystemsResponseCache>();
        services.AddSingleton<OpenFgaAuthorizer>();
        services.AddHttpClient(OpenFgaAuthorizer.HttpClientName);
        services.AddFirecrestAuthentication();
        services.AddFirecrestRateLimiting();
        services.AddFirecrestOpenApi();
        services.AddFirecrestMcp(builder.Configuration);
        services.AddFirecrestTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Adds the middleware, outermost first. With <c>apis_root_path</c> (e.g. <c>/api/v2</c>) the API is also served
    /// under that prefix, as upstream's <c>root_path</c> behind a reverse proxy: a request path that starts with it has
    /// it moved to <c>PathBase</c> before routing; paths without it still route.
    /// </summary>
    public static WebApplication UseFirecrestServer(this WebApplication app)
    {
        if (RootPath(app.Services.GetRequiredService<Firecrest.Core.Configuration.FirecrestSettings>()) is { } root)
            app.UsePathBase(root);
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<ResponseHeadersMiddleware>();
        app.UseFirecrestMetricsAccess();
        app.UseMiddleware<TracingLogMiddleware>();
        app.UseMiddleware<ErrorEnvelopeMiddleware>();
        app.UseStatusCodeEnvelope();
        app.UseMiddleware<LowercasePathMiddleware>();
        app.UseMiddleware<JsonBodyContentTypeMiddleware>();
        app.UseMcpOriginCheck();
        app.UseRouting();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseMiddleware<ClientAddressRateLimitMiddleware>();
        app.UseMiddleware<FormOnJsonRouteMiddleware>();
        app.UseFirecrestAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<QueryValueMiddleware>();
        return app;
    }

    /// <summary><c>apis_root_path</c> as a path base (leading slash, no trailing slash), or null when it is empty or <c>/</c>.</summary>
    public static PathString? RootPath(Firecrest.Core.Configuration.FirecrestSettings settings)
    {
        var root = settings.ApisRootPath?.Trim().TrimEnd('/');
        if (string.IsNullOrEmpty(root)) return null;
        return new PathString(root.StartsWith('/') ? root : "/" + root);
    }

    /// <summary>Maps every API group and the docs.</summary>
    public static WebApplication MapFirecrestApis(this WebApplication app)
    {
        app.MapStatusApi();
        app.MapReadinessApi();
        app.MapComputeApi();
        app.MapFilesystemApi();
        app.MapTransferApi();
        app.MapFirecrestDocs();
        app.MapFirecrestMcp();
        app.MapFirecrestMetrics();
        return app;
    }
}
