using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Firecrest.Core.Json;
using Firecrest.Core.Models;
using Firecrest.Server.Apis;
using Firecrest.Server.Errors;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Firecrest.Server.Tests.Apis;

public sealed class ServerJsonContextTests
{
    // Every body an endpoint declares, read or written, and the error envelope have generated metadata: a natively compiled server has no
    // reflection to fall back on, and a new endpoint with a new type fails here rather than at its first request there.
    [Fact]
    public void Every_declared_request_and_answer_body_has_generated_metadata()
    {
        using var factory = new FirecrestFactory();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var bodies = endpoints.SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.Type)
                .Concat(e.Metadata.OfType<IAcceptsMetadata>().Select(m => m.RequestType)))
            .OfType<Type>().Where(t => t != typeof(void) && t != typeof(string) && !typeof(IResult).IsAssignableFrom(t))
            // The MCP endpoint's JSON-RPC types are written by the MCP library with its own generated metadata.
            .Where(t => t.Namespace?.StartsWith("ModelContextProtocol", StringComparison.Ordinal) != true)
            .Distinct().ToList();

        Assert.Contains(typeof(OutputResponse<FileStat>), bodies);
        Assert.Contains(typeof(Firecrest.Server.Apis.Requests.SubmitJobRequest), bodies);
        var generated = JsonTypeInfoResolver.Combine(ServerJsonContext.Default, FirecrestJson.TypeInfoResolver);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var missing = bodies.Append(typeof(ApiError)).Where(t => generated.GetTypeInfo(t, options) is null).Select(t => t.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no generated JSON metadata for: " + string.Join(", ", missing));
    }
}
