using System.Text.RegularExpressions;
using Firecrest.Core.Client;
using Firecrest.Core.Operations;
using Firecrest.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Firecrest.Integration.Tests.DataTransfer.Client;

/// <summary>
/// The real server in process (<see cref="LiveServer"/>) on the demo configuration with multipart.max_part_size lowered
/// to 8 MiB (a copy of the YAML), and a <see cref="FirecrestClient"/> of it acting as fireuser.
/// </summary>
public sealed class RemoteFirecrestFixture : IAsyncLifetime
{
    private readonly LiveServer _live = new();
    private readonly string _yaml = Path.Combine(Path.GetTempPath(), $"f7t-mv-{Guid.NewGuid():N}.yaml");
    private WebApplicationFactory<Program>? _factory;
    private HttpClient? _http;

    public FirecrestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var text = await File.ReadAllTextAsync(_live.Cluster.ConfigPath);
        var patched = Regex.Replace(text, @"max_part_size:\s*\d+", $"max_part_size: {FileTransferClientFixture.PartSize}");
        Assert.NotEqual(text, patched);
        await File.WriteAllTextAsync(_yaml, patched);
        _factory = _live.WithWebHostBuilder(b => b.UseSetting("YAML_CONFIG_FILE", _yaml));
        _http = _factory.CreateClient();
        _http.Timeout = TimeSpan.FromMinutes(2);
        Client = new FirecrestClient(_http.BaseAddress!, new StaticTokenProvider(await _live.TokenAsync("fireuser")),
            new FirecrestClientOptions { HttpClient = _http });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        _http?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        await _live.DisposeAsync();
        File.Delete(_yaml);
    }
}

/// <summary>The same round trips through the HTTP client and the real server (remote mode).</summary>
[Trait("Category", "Integration")]
public sealed class FileTransferClientRemoteTests(FileTransferClientFixture fx, RemoteFirecrestFixture remote)
    : FileTransferRoundTripTests(fx), IClassFixture<FileTransferClientFixture>, IClassFixture<RemoteFirecrestFixture>
{
    protected override IHpcOperations Operations => remote.Client;
}
