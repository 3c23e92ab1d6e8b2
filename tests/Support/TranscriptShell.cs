using System.Text;
using System.Text.Json;
using Firecrest.Core;
using Firecrest.Core.Ssh;

namespace Firecrest.Tests.Support;

/// <summary>
/// An <see cref="IRemoteShell"/> that answers from transcripts in tests/Fixtures/transcripts (see its README.md):
/// the first transcript whose <c>command</c> is a substring of the executed command line wins.
/// Every executed command is kept in <see cref="Executed"/> so tests can assert the exact command lines.
/// </summary>
public sealed class TranscriptShell : IRemoteShell
{
    private readonly List<Transcript> _transcripts = [];

    /// <summary>Commands run so far, with their stdin.</summary>
    public List<RemoteCommand> Executed { get; } = [];

    /// <summary>Adds the transcript <c>{name}.json</c> (lenient JSON: raw control characters allowed).</summary>
    public TranscriptShell With(string name)
    {
        var t = Fixtures.Transcript(name);
        _transcripts.Add(new Transcript(t.Command, new RemoteCommandResult(t.ExitCode, t.Stdout, t.Stderr)));
        return this;
    }

    /// <summary>Answers commands containing <paramref name="match"/> with the recorded output of transcript <paramref name="name"/>.</summary>
    public TranscriptShell WithRecorded(string match, string name)
    {
        var t = Fixtures.Transcript(name);
        return With(match, t.Stdout, t.Stderr, t.ExitCode);
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

/// <summary>One recorded command: the command line (the match key), its output and exit code.</summary>
public sealed record RecordedCommand(string Command, string Stdout, string Stderr, int ExitCode);

/// <summary>The test fixtures of this repository (tests/Fixtures), found above the test binaries.</summary>
public static class Fixtures
{
    /// <summary>Absolute path of tests/Fixtures.</summary>
    public static string Dir { get; } = Find();

    /// <summary>The transcript <c>{name}.json</c> from any folder under tests/Fixtures/transcripts (names are unique).</summary>
    public static RecordedCommand Transcript(string name)
    {
        var text = System.IO.File.ReadAllText(PathOf(name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json"));
        // Escape raw control characters inside strings, should a hand-written transcript hold any.
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(c < 0x20 && c is not ('\n' or '\r' or '\t') ? $"\\u{(int)c:x4}" : c);
        using var doc = JsonDocument.Parse(sb.ToString());
        var r = doc.RootElement;
        return new RecordedCommand(r.GetProperty("command").GetString()!, r.GetProperty("stdout").GetString() ?? "",
            r.GetProperty("stderr").GetString() ?? "", r.GetProperty("exit_code").GetInt32());
    }

    /// <summary>The text of the response body <c>{name}.json</c> from any folder under tests/Fixtures/transcripts.</summary>
    public static string Body(string name) => System.IO.File.ReadAllText(PathOf(name + ".json"));

    /// <summary>Path of the one file named <paramref name="fileName"/> under tests/Fixtures/transcripts.</summary>
    public static string PathOf(string fileName)
    {
        var hits = Directory.GetFiles(Path.Combine(Dir, "transcripts"), fileName, SearchOption.AllDirectories);
        return hits.Length == 1 ? hits[0]
            : throw new InvalidOperationException($"{hits.Length} transcripts named {fileName} under {Path.Combine(Dir, "transcripts")}");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("tests/Fixtures not found above the test folder");
    }
}
