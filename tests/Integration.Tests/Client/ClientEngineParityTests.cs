using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Json;
using Firecrest.Core.Operations;
using Firecrest.Integration.Tests.Infrastructure;

namespace Firecrest.Integration.Tests.Client;

/// <summary>The same calls through the HTTP client (remote) and the engine (direct) give the same JSON.</summary>
public sealed class ClientEngineParityTests(LiveServer server, DirectEngine engine) : IClassFixture<LiveServer>, IClassFixture<DirectEngine>
{
    private IHpcOperations Direct => engine.Fireuser;

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, FirecrestJson.Options);

    [Fact]
    public async Task Remote_and_direct_give_equal_results()
    {
        using var remote = ClientFixture.For(server);
        var system = server.System;
        var dir = await ClientFixture.NewDirectoryAsync(remote, system, "cli-parity");
        try
        {
            await remote.Files.UploadAsync(system, RemotePath.Parse(dir), "one.txt", new MemoryStream("one\n"u8.ToArray()));
            await Direct.Files.UploadAsync(system, RemotePath.Parse(dir), "two words.txt", new MemoryStream("two\n"u8.ToArray()));
            await remote.Files.MakeDirectoryAsync(system, RemotePath.Parse($"{dir}/sub"));
            var file = $"{dir}/two words.txt";

            Assert.Equal(Json(await Direct.Files.ListAsync(system, RemotePath.Parse(dir))), Json(await remote.Files.ListAsync(system, RemotePath.Parse(dir))));
            Assert.Equal(Json(await Direct.Files.StatAsync(system, RemotePath.Parse(file))), Json(await remote.Files.StatAsync(system, RemotePath.Parse(file))));
            Assert.Equal(Json(await Direct.Files.ChecksumAsync(system, RemotePath.Parse(file))), Json(await remote.Files.ChecksumAsync(system, RemotePath.Parse(file))));
            Assert.Equal(Json(await Direct.Status.GetUserInfoAsync(system)), Json(await remote.Status.GetUserInfoAsync(system)));
            Assert.Equal(Json(await Direct.Status.GetPartitionsAsync(system)), Json(await remote.Status.GetPartitionsAsync(system)));
        }
        finally
        {
            await remote.Files.RemoveAsync(system, RemotePath.Parse(dir));
        }
    }

    [Fact]
    public async Task Remote_and_direct_fail_alike_for_a_missing_file()
    {
        using var remote = ClientFixture.For(server);
        var path = $"/home/fireuser/no-such-{Guid.NewGuid():N}";
        var direct = await Assert.ThrowsAnyAsync<HpcException>(() => Direct.Files.StatAsync(server.System, RemotePath.Parse(path)));
        var viaHttp = await Assert.ThrowsAnyAsync<HpcException>(() => remote.Files.StatAsync(server.System, RemotePath.Parse(path)));
        Assert.Equal(direct.Kind, viaHttp.Kind);
        Assert.Equal(direct.Message, viaHttp.Message);
    }
}
