using Firecrest.Core.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Firecrest.Server.Auth;

/// <summary>
/// Signing keys from the JWKS URLs of <c>auth.authentication.public_certs</c> (http, https or file), reloaded every
/// <c>jwks_refresh_interval</c> seconds and when a token names an unknown key id (at most once per few seconds).
/// </summary>
public sealed class JwksKeyStore(FirecrestSettings settings, IHttpClientFactory httpClients, ILogger<JwksKeyStore> logger, TimeProvider time)
{
    /// <summary>Name of the HTTP client used to fetch key sets.</summary>
    public const string HttpClientName = "jwks";

    private static readonly TimeSpan UnknownKidCooldown = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private string? _fingerprint;
    private long _generation;

    /// <summary>The keys loaded last.</summary>
    public IReadOnlyList<SecurityKey> Keys => _keys;

    /// <summary>Grows each time a reload changes the key set (any change of the fetched documents or of which sources answered).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Keys matching <paramref name="kid"/> (by kid, else x5t), or every key when the token names none.</summary>
    public IEnumerable<SecurityKey> Find(string? kid)
    {
        var keys = _keys;
        if (string.IsNullOrEmpty(kid)) return keys;
        return keys.Where(k => k.KeyId == kid || (k is JsonWebKey j && j.X5t == kid)).ToList();
    }

    /// <summary>Reloads the key sets when they are stale or do not hold <paramref name="kid"/>.</summary>
    public async Task EnsureFreshAsync(string? kid, CancellationToken cancellationToken)
    {
        if (!NeedsReload(kid)) return;
        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (NeedsReload(kid)) await ReloadAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    private bool NeedsReload(string? kid)
    {
        var age = time.GetUtcNow() - _loadedAt;
        var interval = TimeSpan.FromSeconds(Math.Max(1, settings.Auth.Authentication.JwksRefreshInterval));
        if (age >= interval) return true;
        return kid is not null && !Find(kid).Any() && age >= UnknownKidCooldown;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var keys = new List<SecurityKey>();
        var fingerprint = new System.Text.StringBuilder();
        var failed = false;
        foreach (var url in settings.Auth.Authentication.PublicCerts)
        {
            try
            {
                var json = await FetchAsync(url, cancellationToken);
                fingerprint.Append(url).Append('\n').Append(json).Append('\n');
                var set = new JsonWebKeySet(json);
                foreach (var key in set.Keys.Where(k => k.Use is null or "sig"))
                {
                    if (string.IsNullOrEmpty(key.Alg) && settings.Auth.Authentication.JwkAlgorithm is { Length: > 0 } alg) key.Alg = alg;
                    keys.Add(key);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = true;
                logger.LogWarning("Cannot load the JWKS from {Url}: {Error}", url, ex.Message);
            }
        }
        // Keep the old keys when every source failed, so a short outage of the issuer does not lock everybody out.
        if (keys.Count > 0 || !failed)
        {
            _keys = keys;
            var print = fingerprint.ToString();
            if (print != _fingerprint)
            {
                _fingerprint = print;
                Interlocked.Increment(ref _generation);
            }
        }
        _loadedAt = time.GetUtcNow();
    }

    private async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        if (uri.IsFile) return await File.ReadAllTextAsync(uri.LocalPath, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await httpClients.CreateClient(HttpClientName).GetStringAsync(uri, timeout.Token);
    }
}
