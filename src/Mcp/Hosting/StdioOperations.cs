using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.Core.Operations;
using Microsoft.Extensions.Logging;

namespace Firecrest.Mcp.Hosting;

/// <summary>Builds the stdio server's operations: the in-process engine (direct) or the HTTP client (remote); owns what it builds.</summary>
public sealed class StdioOperations : IAsyncDisposable
{
    private readonly EngineHost? _engine;
    private readonly FirecrestClient? _client;
    private readonly HttpClient? _tokenHttp;

    private StdioOperations(IHpcOperations operations, EngineHost? engine, FirecrestClient? client, HttpClient? tokenHttp)
    {
        Operations = operations;
        _engine = engine;
        _client = client;
        _tokenHttp = tokenHttp;
    }

    /// <summary>The operations the tools use.</summary>
    public IHpcOperations Operations { get; }

    /// <summary>Creates the operations described by <paramref name="settings"/>.</summary>
    public static StdioOperations Create(StdioSettings settings, ILoggerFactory loggers)
    {
        if (settings.Direct)
        {
            var loaded = FirecrestConfigLoader.Load(settings.ConfigPath, loggers.CreateLogger("Firecrest.Configuration"));
            var host = EngineHost.Create(loaded.Settings, new EngineHostOptions { LoggerFactory = loggers });
            return new StdioOperations(host.Engine.ForUser(new UserIdentity(settings.User!)), host, null, null);
        }
        HttpClient? tokenHttp = null;
        IAccessTokenProvider tokens;
        if (settings.Token is { } token) tokens = new StaticTokenProvider(token);
        else
        {
            tokenHttp = new HttpClient();
            tokens = new OidcClientCredentialsTokenProvider(tokenHttp, settings.TokenUrl!, settings.ClientId!, settings.ClientSecret!);
        }
        var client = new FirecrestClient(settings.Url!, tokens);
        return new StdioOperations(client, null, client, tokenHttp);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _tokenHttp?.Dispose();
        if (_engine is not null) await _engine.DisposeAsync();
    }
}
