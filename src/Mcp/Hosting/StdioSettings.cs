using System.Globalization;

namespace Firecrest.Mcp.Hosting;

/// <summary>
/// Settings of the stdio server (<c>firecrest-mcp</c>), from command-line arguments first, then environment variables.
/// Direct mode: <c>--config</c> (FireCREST YAML) and <c>--user</c>. Remote mode: <c>--url</c> and either client
/// credentials (<c>--token-url --client-id --client-secret</c>) or <c>--token</c>.
/// </summary>
public sealed class StdioSettings
{
    /// <summary>The usage text printed on bad arguments.</summary>
    public const string Usage = """
        firecrest-mcp: MCP server (stdio) for HPC systems through FirecREST.
          direct:  firecrest-mcp --config <firecrest.yaml> --user <cluster user>
          remote:  firecrest-mcp --url <https://firecrest> --token-url <url> --client-id <id> --client-secret <secret>
                   firecrest-mcp --url <https://firecrest> --token <access token>
          safety:  --read-only  --allowed-systems a,b  --allowed-paths /scratch,/home/u  --max-output-bytes N  --allow-commands  --no-local-files
        Environment: FIRECREST_MCP_CONFIG, FIRECREST_MCP_USER, FIRECREST_URL, FIRECREST_TOKEN_URL, FIRECREST_CLIENT_ID,
          FIRECREST_CLIENT_SECRET, FIRECREST_TOKEN, FIRECREST_MCP_READ_ONLY, FIRECREST_MCP_ALLOWED_SYSTEMS,
          FIRECREST_MCP_ALLOWED_PATHS, FIRECREST_MCP_MAX_OUTPUT_BYTES, FIRECREST_MCP_ALLOW_COMMANDS.
        Logs go to stderr; stdout carries the MCP protocol.
        """;

    private static readonly string[] Known =
        ["--config", "--user", "--url", "--token-url", "--client-id", "--client-secret", "--token", "--allowed-systems", "--allowed-paths", "--max-output-bytes"];

    /// <summary>FireCREST YAML configuration (direct mode).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Cluster user (direct mode).</summary>
    public string? User { get; init; }

    /// <summary>FireCREST base URL (remote mode).</summary>
    public Uri? Url { get; init; }

    /// <summary>OIDC token endpoint (remote mode, client credentials).</summary>
    public string? TokenUrl { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>A fixed access token (remote mode, instead of client credentials).</summary>
    public string? Token { get; init; }

    public McpToolOptions Tools { get; init; } = new();

    /// <summary>True for direct mode (in-process engine), false for remote mode (HTTP client).</summary>
    public bool Direct => ConfigPath is not null;

    /// <summary>Parses arguments and environment; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static StdioSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        string[] flagNames = ["--read-only", "--allow-commands", "--no-local-files"];
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (flagNames.Contains(a)) { flags.Add(a); continue; }
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{a}'.");
            var eq = a.IndexOf('=');
            if (!Known.Contains(eq > 0 ? a[..eq] : a)) throw new ArgumentException($"Unknown option {(eq > 0 ? a[..eq] : a)}.");
            if (eq > 0) { values[a[..eq]] = a[(eq + 1)..]; continue; }
            if (i + 1 >= args.Count) throw new ArgumentException($"Option {a} needs a value.");
            values[a] = args[++i];
        }

        string? Get(string option, string variable) => values.TryGetValue(option, out var v) ? v : NullIfEmpty(environment(variable));
        bool Flag(string option, string variable) => flags.Contains(option) || environment(variable) is "1" or "true" or "True" or "yes";
        static List<string> SplitList(string? s) => s is null ? [] : s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

        var url = Get("--url", "FIRECREST_URL");
        var settings = new StdioSettings
        {
            ConfigPath = Get("--config", "FIRECREST_MCP_CONFIG"),
            User = Get("--user", "FIRECREST_MCP_USER"),
            Url = url is null ? null : Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : throw new ArgumentException($"--url '{url}' is not an absolute URL."),
            TokenUrl = Get("--token-url", "FIRECREST_TOKEN_URL"),
            ClientId = Get("--client-id", "FIRECREST_CLIENT_ID"),
            ClientSecret = Get("--client-secret", "FIRECREST_CLIENT_SECRET"),
            Token = Get("--token", "FIRECREST_TOKEN"),
            Tools = new McpToolOptions
            {
                ReadOnly = Flag("--read-only", "FIRECREST_MCP_READ_ONLY"),
                AllowCommands = Flag("--allow-commands", "FIRECREST_MCP_ALLOW_COMMANDS"),
                LocalFiles = !flags.Contains("--no-local-files"),
                AllowedSystems = SplitList(Get("--allowed-systems", "FIRECREST_MCP_ALLOWED_SYSTEMS")),
                AllowedPathPrefixes = SplitList(Get("--allowed-paths", "FIRECREST_MCP_ALLOWED_PATHS")),
            },
        };
        if (Get("--max-output-bytes", "FIRECREST_MCP_MAX_OUTPUT_BYTES") is { } max)
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new ArgumentException($"--max-output-bytes '{max}' is not a positive number.");
            settings.Tools.MaxOutputBytes = n;
        }
        if (settings.Tools.AllowedPathPrefixes.FirstOrDefault(p => !p.StartsWith('/')) is { } relative)
            throw new ArgumentException($"--allowed-paths entry '{relative}' is not an absolute path.");
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (ConfigPath is not null && Url is not null) throw new ArgumentException("Give either --config (direct) or --url (remote), not both.");
        if (ConfigPath is not null && string.IsNullOrEmpty(User)) throw new ArgumentException("Direct mode (--config) needs --user, the cluster user the tools act as.");
        if (ConfigPath is null && Url is null) throw new ArgumentException("Give --config and --user (direct mode) or --url with credentials (remote mode).");
        if (Url is not null && Token is null && (TokenUrl is null || ClientId is null || ClientSecret is null))
            throw new ArgumentException("Remote mode (--url) needs --token, or --token-url, --client-id and --client-secret.");
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
