using System.Diagnostics;

namespace Firecrest.Core.Client;

/// <summary>
/// Gets the access token from a command line (like pyFirecREST's <c>TokenCommandAuth</c> and <c>FIRECREST_TOKEN_COMMAND</c>):
/// the command runs in <c>/bin/sh -c</c> (<c>cmd.exe /c</c> on Windows) and its trimmed stdout is the token. The token is
/// cached until the JWT's <c>exp</c> − <see cref="RenewBefore"/> and, when <c>cacheFor</c> is given, at most that long;
/// a token that is not a JWT is cached only for <c>cacheFor</c> (not at all without it). Concurrent callers share one run.
/// </summary>
public sealed class CommandTokenProvider : IAccessTokenProvider
{
    /// <summary>A cached JWT is renewed when it has less than this left.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    private readonly string _commandLine;
    private readonly TimeSpan? _cacheFor;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly TokenCache _cache;

    /// <param name="commandLine">Shell command line that prints a token on stdout.</param>
    /// <param name="cacheFor">Longest time a token is reused; null: JWTs until exp − 60 s, other tokens never.</param>
    /// <param name="timeout">Longest time the command may run (default 30 s); it is killed after that.</param>
    /// <param name="time">Clock; default the system clock.</param>
    /// <exception cref="HpcException"><see cref="HpcErrorKind.InvalidArgument"/> for an empty command.</exception>
    public CommandTokenProvider(string commandLine, TimeSpan? cacheFor = null, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(commandLine)) throw new HpcException(HpcErrorKind.InvalidArgument, "The token command must not be empty.");
        _commandLine = commandLine;
        _cacheFor = cacheFor;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _time = time ?? TimeProvider.System;
        _cache = new TokenCache(_time);
    }

    /// <summary>The cached token, or the output of a new run of the command.</summary>
    /// <exception cref="HpcException">
    /// <see cref="HpcErrorKind.Unauthenticated"/> when the command fails or prints nothing;
    /// <see cref="HpcErrorKind.Timeout"/> when it runs too long; <see cref="HpcErrorKind.Unavailable"/> when it cannot be started.
    /// </exception>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        return await _cache.GetAsync(async (now, ct) =>
        {
            var fresh = await RunAsync(ct).ConfigureAwait(false);
            return (fresh, ValidUntil(fresh, now));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the cached token so the next call runs the command again.</summary>
    public void Invalidate() => _cache.Invalidate();

    private DateTimeOffset ValidUntil(string token, DateTimeOffset now)
    {
        DateTimeOffset? expiry;
        try
        {
            expiry = JwtClaims.GetExpiry(token);
        }
        catch (HpcException)
        {
            expiry = null; // not a JWT
        }
        var byJwt = expiry - RenewBefore;
        var byConfig = _cacheFor is { } c ? now + c : (DateTimeOffset?)null;
        return (byJwt, byConfig) switch
        {
            ({ } j, { } k) => j < k ? j : k,
            ({ } j, null) => j,
            (null, { } k) => k,
            _ => now, // unknown lifetime: not reused
        };
    }

    private async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var windows = OperatingSystem.IsWindows();
        var start = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.ArgumentList.Add(windows ? "/c" : "-c");
        start.ArgumentList.Add(_commandLine);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new HpcException(HpcErrorKind.Unavailable, $"The token command could not be started: {e.Message}", e);
        }
        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var stdoutTask = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(timeout.Token);
        string stdout, stderr;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            stdout = await stdoutTask.ConfigureAwait(false);
            stderr = await stderrTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new HpcException(HpcErrorKind.Timeout, $"The token command did not finish within {_timeout.TotalSeconds:0.#} s and was stopped.");
        }

        var token = stdout.Trim();
        if (process.ExitCode != 0)
            throw new HpcException(HpcErrorKind.Unauthenticated, $"The token command failed with exit status {process.ExitCode}: {stderr.Trim()}")
            {
                ExitStatus = process.ExitCode,
                Stderr = stderr,
            };
        if (token.Length == 0)
            throw new HpcException(HpcErrorKind.Unauthenticated, "The token command printed no token.") { ExitStatus = 0, Stderr = stderr };
        return token;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

}
