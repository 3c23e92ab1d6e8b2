using System.Net.Http.Headers;
using Firecrest.Core;
using Firecrest.Core.FileSystem;
using Firecrest.Core.Models;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Apis;

public sealed class FilesystemApiTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Read_routes_answer_output_and_pass_the_exact_query_names()
    {
        var c = _f.ClientFor();
        var ls = await (await c.GetAsync("/filesystem/cluster/ops/ls?path=/home/fireuser&showHidden=true&numericUid=true&recursive=true&dereference=true")).AssertStatus(200);
        Assert.Equal(["name", "type", "linkTarget", "user", "group", "permissions", "lastModified", "size"], ls.GetProperty("output")[0].Keys());
        Assert.Equal(new ListOptions(true, true, true, true), _f.Engine.Last("List").Args[2]);
        var head = await (await c.GetAsync("/filesystem/cluster/ops/head?path=/home/f&lines=3&skipTrailing=true")).AssertStatus(200);
        Assert.Equal(["content", "contentType", "startPosition", "endPosition"], head.GetProperty("output").Keys());
        Assert.Equal(new object?[] { "cluster", "/home/f", null, 3L, true }, _f.Engine.Last("Head").Args);
        await (await c.GetAsync("/filesystem/cluster/ops/tail?path=/home/f&bytes=5&skipHeading=true")).AssertStatus(200);
        Assert.Equal(new object?[] { "cluster", "/home/f", 5L, null, true }, _f.Engine.Last("Tail").Args);
        Assert.Equal("text", (await (await c.GetAsync("/filesystem/cluster/ops/view?path=/home/f&size=10&offset=2")).AssertStatus(200)).GetProperty("output").GetString());
        Assert.Equal(["algorithm", "checksum"], (await (await c.GetAsync("/filesystem/cluster/ops/checksum?path=/home/f")).AssertStatus(200)).GetProperty("output").Keys());
        Assert.Equal("ASCII text", (await (await c.GetAsync("/filesystem/cluster/ops/file?path=/home/f")).AssertStatus(200)).GetProperty("output").GetString());
        var stat = await (await c.GetAsync("/filesystem/cluster/ops/stat?path=/home/f&dereference=true")).AssertStatus(200);
        Assert.Equal(["mode", "ino", "dev", "nlink", "uid", "gid", "size", "atime", "mtime", "ctime"], stat.GetProperty("output").Keys());
    }

    // The engine checks bytes/lines and the view window (the server no longer repeats it): its field error becomes the
    // same validation envelope, the location taken from the request (the fake engine throws what Core's check throws).
    [Fact]
    public async Task Head_with_bytes_and_lines_is_400_validation_naming_the_query_field()
    {
        _f.Engine.Failures["Head"] = Assert.Throws<HpcValidationException>(() => OpsArguments.CheckBytesOrLines(2, 3));
        var body = await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/head?path=/home/f&lines=3&bytes=2"))
            .AssertError(400, "Query.bytes: 'bytes' and 'lines' cannot be specified together");
        AssertField(body, "query", "bytes", "'bytes' and 'lines' cannot be specified together");
    }

    [Fact]
    public async Task View_size_above_the_limit_is_400_validation_naming_the_query_field()
    {
        _f.Engine.Failures["View"] = Assert.Throws<HpcValidationException>(() => OpsArguments.CheckViewWindow(4096, 0, 1024));
        var body = await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/view?path=/home/f&size=4096")).AssertError(400);
        AssertField(body, "query", "size", "Input should be greater than 0 and at most 1024");
    }

    [Fact]
    public async Task An_engine_field_error_on_a_body_field_is_located_in_the_body()
    {
        _f.Engine.Failures["Chmod"] = Assert.Throws<HpcValidationException>(() => OpsArguments.CheckMode("75"));
        var body = await (await _f.ClientFor().SendJson(HttpMethod.Put, "/filesystem/cluster/ops/chmod", """{"path":"/home/t","mode":"75"}""")).AssertError(400);
        AssertField(body, "body", "mode", "Must be an octal mode");
        Assert.StartsWith("Body.mode: Must be an octal mode", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bad_path_is_400_validation_naming_field_and_location_before_the_engine_runs()
    {
        var c = _f.ClientFor();
        AssertField(await (await c.GetAsync("/filesystem/cluster/ops/ls?path=relative")).AssertError(400), "query", "path", "must be an absolute path");
        AssertField(await (await c.PostAsync("/filesystem/cluster/ops/symlink", Http.Json("""{"path":"/home/t","linkPath":"/home//l"}"""))).AssertError(400),
            "body", "linkPath", "empty segments");
        var both = await (await c.PostAsync("/filesystem/cluster/transfer/mv", Http.Json("""{"sourcePath":"/home/../x","targetPath":"y"}"""))).AssertError(400);
        Assert.Equal(["sourcePath", "targetPath"], both.GetProperty("data").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(0, _f.Engine.Count("List") + _f.Engine.Count("Symlink") + _f.Engine.Count("TransferMv"));
    }

    private static void AssertField(System.Text.Json.JsonElement body, string location, string name, string message)
    {
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
        var field = Assert.Single(body.GetProperty("data").GetProperty("fields").EnumerateArray());
        Assert.Equal((location, name), (field.GetProperty("location").GetString(), field.GetProperty("name").GetString()));
        Assert.Contains(message, field.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Missing_path_is_400_with_the_query_field()
    {
        var body = await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls")).AssertError(400);
        var field = body.GetProperty("data").GetProperty("fields")[0];
        Assert.Equal("query", field.GetProperty("location").GetString());
        Assert.Equal("path", field.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Path_outside_the_file_systems_or_with_traversal_is_400()
    {
        var c = _f.ClientFor();
        await (await c.GetAsync("/filesystem/cluster/ops/ls?path=/home/../etc/passwd")).AssertError(400);
        await (await c.GetAsync("/filesystem/cluster/ops/ls?path=relative")).AssertError(400);
        Assert.Equal(0, _f.Engine.Count("List"));
    }

    [Fact]
    public async Task Missing_file_is_404_and_permission_denied_is_403()
    {
        _f.Engine.Failures["Stat"] = new HpcException(HpcErrorKind.NotFound, "Remote process failed with exit status:1 and error message:No such file or directory");
        _f.Engine.Failures["Checksum"] = new HpcException(HpcErrorKind.PermissionDenied, "Permission denied");
        var c = _f.ClientFor();
        await (await c.GetAsync("/filesystem/cluster/ops/stat?path=/home/nope")).AssertError(404);
        await (await c.GetAsync("/filesystem/cluster/ops/checksum?path=/home/x")).AssertError(403, "Permission denied");
    }

    [Fact]
    public async Task Unhealthy_filesystem_is_503_with_the_upstream_message()
    {
        _f.Engine.Unhealthy.Add(("cluster", "filesystem"));
        await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/ls?path=/home/fireuser")).AssertError(503, "The requested filesystem (/home on cluster) is unhealthy.");
    }

    [Fact]
    public async Task Write_routes_have_the_upstream_statuses_and_accept_both_casings()
    {
        var c = _f.ClientFor();
        var mk = await (await c.PostAsync("/filesystem/cluster/ops/mkdir", Http.Json("""{"sourcePath":"/home/d","parent":true}"""))).AssertStatus(201);
        Assert.Equal("/home/d", mk.GetProperty("output").GetProperty("name").GetString());
        Assert.Equal(true, _f.Engine.Last("Mkdir").Args[2]);
        await (await c.PostAsync("/filesystem/cluster/ops/symlink", Http.Json("""{"path":"/home/t","link_path":"/home/l"}"""))).AssertStatus(201);
        Assert.Equal("/home/l", _f.Engine.Last("Symlink").Args[2]);
        await (await c.SendJson(HttpMethod.Put, "/filesystem/cluster/ops/chmod", """{"path":"/home/t","mode":"755"}""")).AssertStatus(200);
        await (await c.SendJson(HttpMethod.Put, "/filesystem/cluster/ops/chown", """{"path":"/home/t","owner":"fireuser","group":""}""")).AssertStatus(200);
        await (await c.DeleteAsync("/filesystem/cluster/ops/rm?path=/home/t")).AssertStatus(204);
        await (await c.PostAsync("/filesystem/cluster/ops/compress", Http.Json("""{"source_path":"/home/d","target_path":"/home/d.tar.bz2","match_pattern":".*txt","compression":"bzip2"}"""))).AssertStatus(204);
        Assert.Equal(new CompressRequest(RemotePath.Parse("/home/d"), RemotePath.Parse("/home/d.tar.bz2"), ".*txt", false, CompressionType.Bzip2), _f.Engine.Last("Compress").Args[1]);
        await (await c.PostAsync("/filesystem/cluster/ops/extract", Http.Json("""{"path":"/home/d.tgz","targetPath":"/home/x"}"""))).AssertStatus(204);
        Assert.Equal(new ExtractRequest(RemotePath.Parse("/home/d.tgz"), RemotePath.Parse("/home/x"), CompressionType.Gzip), _f.Engine.Last("Extract").Args[1]);
    }

    [Fact]
    public async Task Bad_compression_value_is_400_validation()
    {
        var body = await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/compress", Http.Json("""{"path":"/home/d","targetPath":"/home/x","compression":"zip"}"""))).AssertError(400);
        Assert.Equal("validation", body.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Download_is_octet_stream_and_upload_writes_into_the_directory()
    {
        var c = _f.ClientFor();
        var dl = await c.GetAsync("/filesystem/cluster/ops/download?path=/home/f");
        Assert.Equal(200, (int)dl.StatusCode);
        Assert.Equal("application/octet-stream", dl.Content.Headers.ContentType!.MediaType);
        Assert.Equal("hello", await dl.Content.ReadAsStringAsync());

        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("data!"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "up.txt");
        await (await c.PostAsync("/filesystem/cluster/ops/upload?path=/home/fireuser", form)).AssertStatus(204);
        Assert.Equal(new object?[] { "cluster", "/home/fireuser", "up.txt", "data!" }, _f.Engine.Last("Upload").Args);
    }

    [Fact]
    public async Task Upload_larger_than_max_ops_file_size_is_413()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[2048]), "file", "big.bin" } };
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/ops/upload?path=/home/fireuser", form)).AssertError(413, "File to upload is too large.");
        Assert.Equal(0, _f.Engine.Count("Upload"));
    }

    [Fact]
    public async Task Download_too_large_from_the_engine_is_413()
    {
        _f.Engine.Failures["Download"] = new HpcException(HpcErrorKind.TooLarge, "File to download is too large.");
        await (await _f.ClientFor().GetAsync("/filesystem/cluster/ops/download?path=/home/big")).AssertError(413, "File to download is too large.");
    }
}
