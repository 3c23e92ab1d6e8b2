using System.Globalization;

namespace Firecrest.Streamer;

/// <summary>Which way the file goes, seen from the job.</summary>
internal enum StreamerMode
{
    /// <summary>The job sends <see cref="StreamerServerOptions.Path"/> to the client (a download).</summary>
    Send,

    /// <summary>The job receives the client's file into <see cref="StreamerServerOptions.Path"/> (an upload).</summary>
    Receive,
}

/// <summary>
/// What the job's streamer does. The command line is upstream's <c>streamer server --secret S --host H --public-ips
/// IP… --port-range A B --wait-timeout T --inbound-transfer-limit L (send|receive) --path P</c>; the secret may come
/// instead from the environment variable <see cref="SecretVariable"/>, which other users cannot read from the
/// process list.
/// </summary>
internal sealed record StreamerServerOptions
{
    public const string SecretVariable = "F7T_STREAMER_SECRET";

    public required string Secret { get; init; }

    public required StreamerMode Mode { get; init; }

    public required string Path { get; init; }

    /// <summary>Interface to listen on (<c>localhost</c>, <c>0.0.0.0</c>, an address or a host name).</summary>
    public string Host { get; init; } = "localhost";

    public int FirstPort { get; init; } = 5665;

    public int LastPort { get; init; } = 5670;

    /// <summary>How long to wait for a client with the secret before giving up.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Most bytes a receive accepts.</summary>
    public long InboundTransferLimit { get; init; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Addresses the clients were told (logged only).</summary>
    public IReadOnlyList<string> PublicIps { get; init; } = [];

    /// <summary>Parses the command line (after the program name); <paramref name="environment"/> supplies the secret when <c>--secret</c> is absent.</summary>
    /// <exception cref="ArgumentException">A usage error, with a message naming the option.</exception>
    public static StreamerServerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? secret = null, host = null, path = null;
        StreamerMode? mode = null;
        int? first = null, last = null;
        long? wait = null, limit = null;
        var ips = new List<string>();
        var i = 0;
        if (i < args.Count && args[i] == "server") i++;
        string Value(string option) => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value.");
        while (i < args.Count)
        {
            var a = args[i];
            switch (a)
            {
                case "--secret": secret = Value(a); break;
                case "--host": host = Value(a); break;
                case "--path": path = Value(a); break;
                case "--wait-timeout": wait = Number(Value(a), a, 1); break;
                case "--inbound-transfer-limit": limit = Number(Value(a), a, 0); break;
                case "--port-range":
                    first = (int)Number(Value(a), a, 1, 65535);
                    last = (int)Number(Value(a), a, 1, 65535);
                    break;
                case "--public-ips":
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1] is not ("send" or "receive")) ips.Add(args[++i]);
                    break;
                case "send": mode = StreamerMode.Send; break;
                case "receive": mode = StreamerMode.Receive; break;
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
            i++;
        }
        secret ??= environment(SecretVariable);
        if (string.IsNullOrEmpty(secret)) throw new ArgumentException($"--secret (or the environment variable {SecretVariable}) is required.");
        if (mode is null) throw new ArgumentException("send or receive is required.");
        if (string.IsNullOrEmpty(path)) throw new ArgumentException("--path is required.");
        if (first > last) throw new ArgumentException($"--port-range must not end before it starts ({first} > {last}).");
        var defaults = new StreamerServerOptions { Secret = secret, Mode = mode.Value, Path = path };
        return defaults with
        {
            Host = string.IsNullOrEmpty(host) ? defaults.Host : host,
            FirstPort = first ?? defaults.FirstPort,
            LastPort = last ?? defaults.LastPort,
            WaitTimeout = wait is { } w ? TimeSpan.FromSeconds(w) : defaults.WaitTimeout,
            InboundTransferLimit = limit ?? defaults.InboundTransferLimit,
            PublicIps = ips,
        };
    }

    private static long Number(string text, string option, long min, long max = long.MaxValue) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{option} must be a whole number from {min} to {max} (got '{text}').");
}
