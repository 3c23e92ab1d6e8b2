using System.Text;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Ssh;

namespace Firecrest.Tests.Shared;

/// <summary>
/// An <see cref="IRemoteShell"/> that answers from recorded transcripts (shared/fixtures/firecrest-v2/mocked_ssh_outputs):
/// the first transcript whose <c>command</c> is a substring of the executed command line wins, as upstream's mock does.
/// Every executed command is kept in <see cref="Executed"/> so tests can assert the exact command lines.
/// </summary>
public sealed class TranscriptShell : IRemoteShell
{
    private readonly List<Transcript> _transcripts = [];

    /// <summary>Commands run so far, with their stdin.</summary>
    public List<RemoteCommand> Executed { get; } = [];

    /// <summary>Folder of the upstream SSH transcripts.</summary>
    public static string FixturesDir => Path.Combine(SharedFolder.Path, "fixtures", "firecrest-v2", "mocked_ssh_outputs");

    /// <summary>Adds the transcript in <c>mocked_ssh_outputs/{name}.json</c> (lenient JSON: raw control characters allowed).</summary>
    public TranscriptShell With(string name)
    {
        var text = File.ReadAllText(Path.Combine(FixturesDir, name.EndsWith(".json") ? name : name + ".json"));
        // Escape raw control characters inside strings (one fixture holds raw ESC bytes).
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c < 0x20 && c is not ('\n' or '\r' or '\t') ? $"\\u{(int)c:x4}" : c);
        using var doc = JsonDocument.Parse(sb.ToString());
        var r = doc.RootElement;
        _transcripts.Add(new Transcript(
            r.GetProperty("command").GetString()!,
            new RemoteCommandResult(r.GetProperty("exit_code").GetInt32(), r.GetProperty("stdout").GetString() ?? "", r.GetProperty("stderr").GetString() ?? "")));
        return this;
    }

    /// <summary>Adds an answer for commands that contain <paramref name="match"/>.</summary>
    public TranscriptShell With(string match, string stdout, string stderr = "", int exitCode = 0)
    {
        _transcripts.Add(new Transcript(match, new RemoteCommandResult(exitCode, stdout, stderr)));
        return this;
    }

    /// <inheritdoc/>
    public Task<RemoteCommandResult> RunAsync(string system, UserIdentity user, RemoteCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Executed.Add(command);
        foreach (var t in _transcripts)
            if (command.CommandLine.Contains(t.Match, StringComparison.Ordinal)) return Task.FromResult(t.Result);
        throw new InvalidOperationException($"No transcript matches the command: {command.CommandLine}");
    }

    private sealed record Transcript(string Match, RemoteCommandResult Result);
}

/// <summary>Locates the shared reference folder (../shared beside the checkout, or $FIRECREST_SHARED_DIR).</summary>
public static class SharedFolder
{
    /// <summary>Absolute path of shared/.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("FIRECREST_SHARED_DIR");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return System.IO.Path.Combine(dir.FullName, "shared");
        }
        throw new InvalidOperationException("shared/ (with fixtures/) not found above the test folder; set FIRECREST_SHARED_DIR");
    }
}
