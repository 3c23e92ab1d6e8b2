using System.Diagnostics;

namespace Firecrest.Bench.Soaking;

/// <summary>
/// An access token of one user that is fetched again once it is older than <see cref="MaxAge"/> (the local issuer's
/// tokens live 300 s; a soak runs for half an hour).
/// </summary>
public sealed class RefreshingToken(Tokens tokens, string user)
{
    /// <summary>Age after which the token is replaced.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private long _fetchedAt;

    /// <summary>The user the token acts as.</summary>
    public string User => user;

    /// <summary>The current token, fetched again when it is too old.</summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is not null && Stopwatch.GetElapsedTime(Interlocked.Read(ref _fetchedAt)) < MaxAge) return token;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || Stopwatch.GetElapsedTime(_fetchedAt) >= MaxAge)
            {
                var fresh = await tokens.ForAsync(user, cancellationToken);
                Interlocked.Exchange(ref _fetchedAt, Stopwatch.GetTimestamp());
                Volatile.Write(ref _token, fresh);
            }
            return _token!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
