using System.Net;
using Firecrest.Core.Errors;

namespace Firecrest.Core.DataTransfer.Client;

/// <summary>An HTTP answer worth another try (408, 429, 5xx).</summary>
public sealed class TransientHttpException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// Bounded retries with exponential backoff and jitter: network errors, HTTP timeouts and
/// <see cref="TransientHttpException"/> are retried; everything else (and the caller's cancellation) ends at once.
/// </summary>
public sealed class TransferRetry
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Func<double> _random;
    private readonly Backoff _backoff;

    /// <param name="maxRetries">Retries after the first attempt.</param>
    /// <param name="initialDelay">Delay before the first retry (before jitter).</param>
    /// <param name="maxDelay">Cap of the delay.</param>
    /// <param name="delay">Waits (tests pass a recorder); default <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</param>
    /// <param name="random">Source of jitter in [0, 1); default shared random.</param>
    public TransferRetry(int maxRetries, TimeSpan initialDelay, TimeSpan maxDelay,
        Func<TimeSpan, CancellationToken, Task>? delay = null, Func<double>? random = null)
    {
        MaxRetries = Math.Max(0, maxRetries);
        _backoff = new Backoff(initialDelay, maxDelay, factor: 2, jitter: 0.5);
        _delay = delay ?? Task.Delay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; }

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan InitialDelay => _backoff.Initial;

    /// <summary>Cap of the delay.</summary>
    public TimeSpan MaxDelay => _backoff.Max;

    /// <summary>Delay before retry number <paramref name="retry"/> (1-based): initial·2^(retry−1), capped, scaled by 0.5 + jitter/2.</summary>
    public TimeSpan BackoffDelay(int retry, double jitter) => _backoff.Delay(retry - 1, jitter);

    /// <summary>True for errors worth another try.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        TransientHttpException => true,
        HttpRequestException => true,
        IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient timeout
        _ => false,
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> (given the attempt number from 1) until it succeeds, fails for good, or the
    /// retries are used up; then throws an <see cref="HpcException"/> naming <paramref name="what"/> and the last error.
    /// <paramref name="onFailedAttempt"/> runs after each failed attempt (e.g. to take back its progress).
    /// </summary>
    public async Task<T> RunAsync<T>(string what, Func<int, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken,
        Action? onFailedAttempt = null)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(n, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                onFailedAttempt?.Invoke();
                if (n > MaxRetries)
                    throw new HpcException(HpcErrorKind.Unavailable, $"{what} failed after {n} attempts: {e.Message}", e);
                await _delay(BackoffDelay(n, _random()), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                onFailedAttempt?.Invoke();
                throw;
            }
        }
    }

    /// <summary>The error for a failed HTTP answer: transient ones (408, 429, 5xx) are retried, others are final.</summary>
    public static Exception ErrorFor(HttpStatusCode status, string what, string? body)
    {
        var detail = string.IsNullOrWhiteSpace(body) ? "" : ": " + Shorten(body);
        var code = (int)status;
        if (code is 408 or 429 || code >= 500) return new TransientHttpException(status, $"{what}: HTTP {code}{detail}");
        var kind = HttpErrorKinds.KindOf(code);
        var hint = code == 403 ? " (the presigned URL may have expired)" : "";
        return new HpcException(kind, $"{what}: HTTP {code}{hint}{detail}") { StatusCode = code };
    }

    private static string Shorten(string s)
    {
        s = s.Trim();
        return s.Length <= 300 ? s : s[..300] + "…";
    }
}
