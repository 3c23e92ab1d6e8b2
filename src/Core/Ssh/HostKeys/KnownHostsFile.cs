namespace Firecrest.Core.Ssh.HostKeys;

/// <summary>A parsed known_hosts file (OpenSSH format). Unparseable lines are skipped and counted.</summary>
public sealed class KnownHostsFile
{
    private KnownHostsFile(string source, IReadOnlyList<KnownHostEntry> entries, int skipped)
    {
        Source = source;
        Entries = entries;
        SkippedLines = skipped;
    }

    /// <summary>Where the entries came from (a path, or a label for text).</summary>
    public string Source { get; }

    public IReadOnlyList<KnownHostEntry> Entries { get; }

    /// <summary>Non-empty, non-comment lines that could not be parsed.</summary>
    public int SkippedLines { get; }

    /// <summary>Reads and parses a known_hosts file.</summary>
    /// <exception cref="HpcException">The file cannot be read (<see cref="HpcErrorKind.ConnectionFailed"/>).</exception>
    public static async Task<KnownHostsFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HpcException(HpcErrorKind.ConnectionFailed, $"Cannot read the known_hosts file '{path}': {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses known_hosts text.</summary>
    public static KnownHostsFile Parse(string text, string source = "known_hosts")
    {
        var entries = new List<KnownHostEntry>();
        var skipped = 0;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var marker = KnownHostMarker.None;
            var i = 0;
            if (fields[0].StartsWith('@'))
            {
                marker = fields[0] switch
                {
                    "@revoked" => KnownHostMarker.Revoked,
                    "@cert-authority" => KnownHostMarker.CertAuthority,
                    _ => (KnownHostMarker)(-1),
                };
                i = 1;
            }
            if ((int)marker < 0 || fields.Length < i + 3) { skipped++; continue; }
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(fields[i + 2]);
            }
            catch (FormatException)
            {
                skipped++;
                continue;
            }
            entries.Add(new KnownHostEntry(marker, fields[i], fields[i + 1], blob, lineNumber));
        }
        return new KnownHostsFile(source, entries, skipped);
    }
}
