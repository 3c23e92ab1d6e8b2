using System.Text.Json.Nodes;
using Firecrest.Core.Configuration;
using Firecrest.Core.Json;
using Microsoft.OpenApi;

namespace Firecrest.Server.Hosting;

/// <summary>The OpenAPI document at <c>/openapi.json</c> and its pages at <c>/docs</c> and <c>/redoc</c>.</summary>
public static class OpenApiSetup
{
    /// <summary>Registers the document generator.</summary>
    public static IServiceCollection AddFirecrestOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o => o.AddFirecrestContract().AddSchemaTransformer((schema, context, _) =>
        {
            // Enums with wire names are written by their own converter, which the generator does not see through.
            var info = context.JsonTypeInfo;
            if (Nullable.GetUnderlyingType(info.Type) is { } underlying) info = info.Options.GetTypeInfo(underlying);
            if (info.Converter is IWireNamesConverter wire) schema.Enum = wire.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToList();
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
            if (settings.Auth.Authentication.TokenUrl is { Length: > 0 } tokenUrl)
            {
                // As upstream: the client-credentials flow of the OIDC provider, so the docs console can fetch a token.
                doc.Components.SecuritySchemes["oauth2"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Flows = new OpenApiOAuthFlows
                    {
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri(tokenUrl, UriKind.RelativeOrAbsolute),
                            Scopes = new Dictionary<string, string>(settings.Auth.Authentication.Scopes),
                        },
                    },
                };
                doc.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("oauth2", doc)] = [] });
            }
            return Task.CompletedTask;
        }));

    /// <summary>
    /// Maps <c>/openapi.json</c>, <c>/docs</c> (Swagger UI with "Authorize" for the client-credentials flow) and
    /// <c>/redoc</c>; both pages load the document relative to themselves, so they work under <c>apis_root_path</c>.
    /// </summary>
    public static WebApplication MapFirecrestDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi.json").ExcludeFromDescription();
        // Both UIs run only for their own paths: as plain middleware they would match every API request's path
        // against their prefixes (a regular expression and a static-file lookup each).
        app.UseWhen(IsDocsPage, docs =>
        {
            docs.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "docs";
                o.DocumentTitle = "FirecREST";
                o.SwaggerEndpoint("../openapi.json", "FirecREST");
            });
            docs.UseReDoc(o =>
            {
                o.RoutePrefix = "redoc";
                o.DocumentTitle = "FirecREST";
                o.SpecUrl = "../openapi.json";
                // The package's page links Google Fonts, and ReDoc reports usage to Redocly unless told not to: the page
                // is served without the link and telemetry is off, so it loads nothing from another origin.
                o.IndexStream = () => typeof(OpenApiSetup).Assembly.GetManifestResourceStream("Firecrest.Server.redoc-index.html")!;
                o.ConfigObject.AdditionalItems["disableTelemetry"] = true;
            });
        });
        return app;
    }

    private static bool IsDocsPage(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/docs") || context.Request.Path.StartsWithSegments("/redoc");
}
