using Firecrest.Core.Models;
using Firecrest.Server.Tests.Infrastructure;

namespace Firecrest.Server.Tests.Apis;

public sealed class TransferApiTests : IDisposable
{
    private readonly FirecrestFactory _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Upload_is_201_with_s3_directives_and_no_null_fields()
    {
        var body = await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/upload",
            Http.Json("""{"source_path":"/home/fireuser/f.bin","account":"hpcproj","transfer_directives":{"transfer_method":"s3","file_size":1234}}"""))).AssertStatus(201);
        Assert.Equal(["transferJob", "transferDirectives"], body.Keys());
        Assert.Equal(["jobId", "system", "workingDirectory", "logs"], body.GetProperty("transferJob").Keys());
        Assert.Equal(["outputLog", "errorLog"], body.GetProperty("transferJob").GetProperty("logs").Keys());
        Assert.Equal(["transferMethod", "partsUploadUrls", "completeUploadUrl", "maxPartSize"], body.GetProperty("transferDirectives").Keys());
        Assert.Equal(new object?[] { "cluster", "/home/fireuser/f.bin", 1234L, "hpcproj" }, _f.Engine.Last("TransferUpload").Args);
    }

    [Fact]
    public async Task Download_is_201_with_the_download_url()
    {
        var body = await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/download",
            Http.Json("""{"path":"/home/fireuser/f.bin","transferDirectives":{"transferMethod":"s3"}}"""))).AssertStatus(201);
        Assert.Equal(["transferMethod", "downloadUrl"], body.GetProperty("transferDirectives").Keys());
    }

    [Fact]
    public async Task Other_transfer_method_than_configured_is_400()
    {
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/download",
            Http.Json("""{"path":"/home/f","transferDirectives":{"transferMethod":"wormhole"}}"""))).AssertError(400, "Requested transfer method is not available.");
        Assert.Equal(0, _f.Engine.Count("TransferDownload"));
    }

    [Fact]
    public async Task Streamer_upload_needs_no_file_size_and_answers_the_coordinates()
    {
        using var f = new FirecrestFactory(s => s.Clusters[0].DataOperation.DataTransfer = new Firecrest.Core.Configuration.DataTransferSettings { ServiceType = TransferMethod.Streamer });
        var body = await (await f.ClientFor().PostAsync("/filesystem/cluster/transfer/upload",
            Http.Json("""{"path":"/home/fireuser/in.bin","transferDirectives":{"transferMethod":"streamer"}}"""))).AssertStatus(201);
        Assert.Equal(["transferJob", "transferDirectives"], body.Keys());
        Assert.Equal(["transferMethod", "coordinates"], body.GetProperty("transferDirectives").Keys());
        Assert.Equal("streamer", body.GetProperty("transferDirectives").GetProperty("transferMethod").GetString());
        Assert.Equal(new object?[] { "cluster", "/home/fireuser/in.bin", null }, f.Engine.Last("TransferStreamerUpload").Args);
        var down = await (await f.ClientFor().PostAsync("/filesystem/cluster/transfer/download",
            Http.Json("""{"sourcePath":"/home/fireuser/out.bin","account":"hpcproj","transferDirectives":{"transfer_method":"streamer"}}"""))).AssertStatus(201);
        Assert.Equal(["transferMethod", "coordinates"], down.GetProperty("transferDirectives").Keys());
        Assert.Equal(new object?[] { "cluster", "/home/fireuser/out.bin", "hpcproj" }, f.Engine.Last("TransferStreamerDownload").Args);
        Assert.Equal(0, f.Engine.Count("TransferUpload") + f.Engine.Count("TransferDownload"));
    }

    [Fact]
    public async Task Wormhole_on_a_wormhole_system_is_501_with_the_reason()
    {
        using var f = new FirecrestFactory(s => s.Clusters[0].DataOperation.DataTransfer = new Firecrest.Core.Configuration.DataTransferSettings { ServiceType = TransferMethod.Wormhole });
        var body = await (await f.ClientFor().PostAsync("/filesystem/cluster/transfer/download",
            Http.Json("""{"path":"/home/f","transferDirectives":{"transferMethod":"wormhole"}}"""))).AssertError(501);
        Assert.Contains("rendezvous relay", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, f.Engine.Count("TransferDownload"));
    }

    [Fact]
    public async Task Jobs_routes_are_201_and_rm_is_200()
    {
        var c = _f.ClientFor();
        Assert.Equal(["transferJob"], (await (await c.PostAsync("/filesystem/cluster/transfer/mv", Http.Json("""{"sourcePath":"/home/a","targetPath":"/home/b"}"""))).AssertStatus(201)).Keys());
        await (await c.PostAsync("/filesystem/cluster/transfer/cp", Http.Json("""{"path":"/home/a","target_path":"/home/b","dereference":true,"account":"hpcproj"}"""))).AssertStatus(201);
        Assert.Equal(new object?[] { "cluster", "/home/a", "/home/b", true, "hpcproj" }, _f.Engine.Last("TransferCp").Args);
        Assert.Equal(["transferJob"], (await (await c.DeleteAsync("/filesystem/cluster/transfer/rm?path=/home/a&account=hpcproj")).AssertStatus(200)).Keys());
        await (await c.PostAsync("/filesystem/cluster/transfer/compress", Http.Json("""{"sourcePath":"/home/a","targetPath":"/home/a.tgz","compression":"xz"}"""))).AssertStatus(201);
        Assert.Equal(CompressionType.Xz, ((CompressRequest)_f.Engine.Last("TransferCompress").Args[1]!).Compression);
        await (await c.PostAsync("/filesystem/cluster/transfer/extract", Http.Json("""{"sourcePath":"/home/a.tgz","targetPath":"/home/x"}"""))).AssertStatus(201);
    }

    [Fact]
    public async Task Move_without_target_is_400_naming_the_field()
    {
        var body = await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/mv", Http.Json("""{"sourcePath":"/home/a"}"""))).AssertError(400);
        Assert.Equal("targetPath", body.GetProperty("data").GetProperty("fields")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Upload_and_download_are_gated_on_the_scheduler_only()
    {
        _f.Engine.Unhealthy.Add(("cluster", "filesystem"));
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/download", Http.Json("""{"path":"/home/f","transferDirectives":{"transferMethod":"s3"}}"""))).AssertStatus(201);
        await (await _f.ClientFor().PostAsync("/filesystem/cluster/transfer/mv", Http.Json("""{"sourcePath":"/home/a","targetPath":"/home/b"}"""))).AssertError(503);
    }

    [Theory]
    [InlineData("/filesystem/cluster/transfer/download", """{"path":"/home/f","transferDirectives":{"transferMethod":"s3"}}""")]
    [InlineData("/filesystem/cluster/transfer/mv", """{"sourcePath":"/home/a","targetPath":"/home/b"}""")]
    [InlineData("/filesystem/cluster/transfer/cp", """{"sourcePath":"/home/a","targetPath":"/home/b"}""")]
    public async Task Unhealthy_ssh_is_503_on_transfer_routes(string route, string json)
    {
        _f.Engine.Unhealthy.Add(("cluster", "ssh"));
        await (await _f.ClientFor().PostAsync(route, Http.Json(json))).AssertError(503, "The ssh service for the requested system (cluster) is unhealthy.");
    }
}
