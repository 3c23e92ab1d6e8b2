using System.Text.Json;
using System.Text.Json.Nodes;
using Firecrest.Server.Tests.Infrastructure;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.Hosting;

/// <summary>The served OpenAPI document matches docs/openapi.json (regenerate with F7T_UPDATE_OPENAPI=1) and describes every route.</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly FirecrestFactory _f = new(s => s.Clusters.Clear());

    public void Dispose() => _f.Dispose();

    private static string SavedPath() => RepositoryRoot.Combine("docs", "openapi.json");

    private async Task<JsonNode> ServedAsync() =>
        JsonNode.Parse(await (await _f.CreateClient().GetAsync("/openapi.json")).Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Served_document_matches_docs_openapi_json()
    {
        var served = (await ServedAsync()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var path = SavedPath();
        if (Environment.GetEnvironmentVariable("F7T_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served + "\n");
        }
        Assert.True(File.Exists(path), $"{path} is missing; run the tests with F7T_UPDATE_OPENAPI=1");
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(JsonNode.DeepEquals(saved, JsonNode.Parse(served)), "docs/openapi.json differs from /openapi.json; regenerate with F7T_UPDATE_OPENAPI=1");
    }

    [Theory]
    [InlineData("/status/systems", "get")]
    [InlineData("/status/liveness", "get")]
    [InlineData("/status/readiness", "get")]
    [InlineData("/status/{system_name}/nodes", "get")]
    [InlineData("/status/{system_name}/partitions", "get")]
    [InlineData("/status/{system_name}/reservations", "get")]
    [InlineData("/status/{system_name}/userinfo", "get")]
    [InlineData("/compute/{system_name}/jobs", "post")]
    [InlineData("/compute/{system_name}/jobs", "get")]
    [InlineData("/compute/{system_name}/jobs/{job_id}", "get")]
    [InlineData("/compute/{system_name}/jobs/{job_id}", "delete")]
    [InlineData("/compute/{system_name}/jobs/{job_id}/metadata", "get")]
    [InlineData("/compute/{system_name}/jobs/{job_id}/attach", "put")]
    [InlineData("/filesystem/{system_name}/ops/ls", "get")]
    [InlineData("/filesystem/{system_name}/ops/head", "get")]
    [InlineData("/filesystem/{system_name}/ops/tail", "get")]
    [InlineData("/filesystem/{system_name}/ops/view", "get")]
    [InlineData("/filesystem/{system_name}/ops/checksum", "get")]
    [InlineData("/filesystem/{system_name}/ops/file", "get")]
    [InlineData("/filesystem/{system_name}/ops/stat", "get")]
    [InlineData("/filesystem/{system_name}/ops/rm", "delete")]
    [InlineData("/filesystem/{system_name}/ops/mkdir", "post")]
    [InlineData("/filesystem/{system_name}/ops/symlink", "post")]
    [InlineData("/filesystem/{system_name}/ops/chmod", "put")]
    [InlineData("/filesystem/{system_name}/ops/chown", "put")]
    [InlineData("/filesystem/{system_name}/ops/download", "get")]
    [InlineData("/filesystem/{system_name}/ops/upload", "post")]
    [InlineData("/filesystem/{system_name}/ops/compress", "post")]
    [InlineData("/filesystem/{system_name}/ops/extract", "post")]
    [InlineData("/filesystem/{system_name}/transfer/upload", "post")]
    [InlineData("/filesystem/{system_name}/transfer/download", "post")]
    [InlineData("/filesystem/{system_name}/transfer/mv", "post")]
    [InlineData("/filesystem/{system_name}/transfer/cp", "post")]
    [InlineData("/filesystem/{system_name}/transfer/rm", "delete")]
    [InlineData("/filesystem/{system_name}/transfer/compress", "post")]
    [InlineData("/filesystem/{system_name}/transfer/extract", "post")]
    public async Task Document_describes_the_route(string path, string method)
    {
        var op = (await ServedAsync())["paths"]?[path]?[method];
        Assert.NotNull(op);
        Assert.False(string.IsNullOrEmpty(op!["summary"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Client_credentials_scheme_comes_from_the_token_url_and_scopes()
    {
        using var f = new FirecrestFactory(s =>
        {
            s.Auth.Authentication.TokenUrl = "http://idp/token";
            s.Auth.Authentication.Scopes["firecrest"] = "FirecREST access";
        });
        var doc = JsonNode.Parse(await (await f.CreateClient().GetAsync("/openapi.json")).Content.ReadAsStringAsync())!;
        var flow = doc["components"]!["securitySchemes"]!["oauth2"]!["flows"]!["clientCredentials"]!;
        Assert.Equal("http://idp/token", flow["tokenUrl"]!.GetValue<string>());
        Assert.Equal("FirecREST access", flow["scopes"]!["firecrest"]!.GetValue<string>());
        Assert.Contains(doc["security"]!.AsArray(), r => r!["oauth2"] is not null);
    }

    [Fact]
    public async Task Every_operation_lists_its_errors_with_the_envelope_and_numbers_are_numbers()
    {
        var doc = await ServedAsync();
        var envelope = doc["components"]!["schemas"]!["ApiResponseError"]!;
        Assert.Equal(["errorType", "message"], envelope["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var responses = op!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("500"), $"{method} {path} lists no 500");
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                    Assert.EndsWith("/ApiResponseError", response!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
                if (path.Contains("{system_name}")) Assert.True(responses.ContainsKey("404") && responses.ContainsKey("403"), $"{method} {path}");
                if (path.StartsWith("/filesystem/{system_name}/transfer")) Assert.Equal("filesystem", op["tags"]![0]!.GetValue<string>());
            }
        var bytes = doc["paths"]!["/filesystem/{system_name}/ops/head"]!["get"]!["parameters"]!.AsArray().First(p => p!["name"]!.GetValue<string>() == "bytes")!;
        Assert.DoesNotContain("string", bytes["schema"]!.ToJsonString());
        Assert.Equal(["path"], doc["components"]!["schemas"]!["MkdirRequest"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
