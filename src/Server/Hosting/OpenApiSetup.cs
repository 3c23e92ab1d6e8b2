using System.Text.Json.Nodes;
using Firecrest.Core.Configuration;
using Firecrest.Core.Json;
using Microsoft.OpenApi;

namespace Firecrest.Server.Hosting;

/// <summary>The OpenAPI document at <c>/openapi.json</c> and the docs page at <c>/docs</c>.</summary>
public static class OpenApiSetup
{
    /// <summary>Registers the document generator.</summary>
    public static IServiceCollection AddFirecrestOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // Enums with wire names are written by their own converter, which the generator does not see through.
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (WireNames.HasWireNames(type)) schema.Enum = WireNames.Names(type).Select(n => (JsonNode)JsonValue.Create(n)).ToList();
            return Task.CompletedTask;
        }).AddDocumentTransformer((doc, context, _) =>
        {
            var settings = context.ApplicationServices.GetRequiredService<FirecrestSettings>();
            doc.Info = new OpenApiInfo
            {
                Title = "FirecREST",
                Version = Middleware.ResponseHeadersMiddleware.AppVersion,
                Description = "FirecREST v2 REST API: HPC systems, jobs, files and transfers over HTTP.",
            };
            doc.Servers = settings.DocServers.Count > 0
                ? settings.DocServers.Select(s => new OpenApiServer { Url = s.Url, Description = s.Description }).ToList()
                : [];
            // As FastAPI with root_path: the paths stay relative to the API and the prefix is the first server (unless listed).
            if (ServerSetup.RootPath(settings) is { } root && doc.Servers.All(s => s.Url != root.Value))
                doc.Servers.Insert(0, new OpenApiServer { Url = root.Value });
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "OIDC access token.",
            };
            doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] }];
            return Task.CompletedTask;
        }));

    /// <summary>Maps <c>/openapi.json</c> and <c>/docs</c>.</summary>
    public static IEndpointRouteBuilder MapFirecrestDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi.json").ExcludeFromDescription();
        app.MapGet("/docs", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Docs.DocsPage.ContentSecurityPolicy;
            return TypedResults.Content(Docs.DocsPage.Html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
