using System.Text.Json;
using Firecrest.Core.Models;
using Firecrest.Server.Apis;
using Firecrest.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Firecrest.Server.Tests.Apis;

/// <summary>The streamed ls answer is byte for byte what the server's general JSON settings write.</summary>
public sealed class LsWireBytesTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    private static RemoteFile File(string name, string? target = null) => new()
    {
        Name = name, Type = target is null ? "-" : "l", LinkTarget = target, User = "fireuser", Group = "grp", Permissions = "rw-r--r--",
        LastModified = "2026-01-01T00:00:00", Size = "12345",
    };

    [Fact]
    public async Task Streamed_bytes_equal_the_general_serializer_bytes()
    {
        IReadOnlyList<RemoteFile> files =
        [
            File("plain.dat"), File("quote\"back\\slash"), File("<html>&'+`"), File("tab\tnew\nline\u0001"), File("\u00e9t\u00e9 \u65e5\u672c"),
            File("emoji \uD83D\uDE00"), File("link", "../target dir"), File(""),
        ];
        var general = _f.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var value = new OutputResponse<IReadOnlyList<RemoteFile>>(files);
        var expected = JsonSerializer.SerializeToUtf8Bytes(value, general);
        Assert.Equal(expected, await WriteAsync(new ListingJsonResult(files)));
        // Many entries: the writer flushes on the way.
        IReadOnlyList<RemoteFile> many = Enumerable.Range(0, 3000).Select(i => files[i % files.Count]).ToList();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(new OutputResponse<IReadOnlyList<RemoteFile>>(many), general), await WriteAsync(new ListingJsonResult(many)));
        Assert.Equal("{\"output\":[]}"u8.ToArray(), await WriteAsync(new ListingJsonResult([])));
    }

    private async Task<byte[]> WriteAsync(ListingJsonResult result)
    {
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = _f.Services };
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return body.ToArray();
    }

    [Fact]
    public async Task Ls_answer_is_streamed_json_with_the_wire_field_names()
    {
        var response = await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls?path=/home/fireuser");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.AssertStatus(200);
        Assert.Equal(["name", "type", "linkTarget", "user", "group", "permissions", "lastModified", "size"], body.GetProperty("output")[0].Keys());
    }
}
