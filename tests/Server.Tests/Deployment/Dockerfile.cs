using System.Text.Json;
using System.Text.RegularExpressions;
using Firecrest.Tests.Support;

namespace Firecrest.Server.Tests.Deployment;

/// <summary>The instructions of deploy/Dockerfile (continuation lines joined, comments dropped) and its .dockerignore.</summary>
internal sealed partial class Dockerfile
{
    public static string PathOf => RepositoryRoot.Combine("deploy", "Dockerfile");

    private Dockerfile(IReadOnlyList<(string Op, string Args)> instructions) => Instructions = instructions;

    public IReadOnlyList<(string Op, string Args)> Instructions { get; }

    public static Dockerfile Load()
    {
        var joined = Regex.Replace(File.ReadAllText(PathOf), @"\\\r?\n", " ");
        var instructions = joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var op, var args] ? (op.ToUpperInvariant(), args.Trim()) : (l.ToUpperInvariant(), ""))
            .ToList();
        return new Dockerfile(instructions);
    }

    /// <summary>The instructions of the last stage (the image that runs).</summary>
    public IReadOnlyList<(string Op, string Args)> FinalStage =>
        Instructions.Skip(Instructions.Select((x, i) => (x, i)).Last(x => x.x.Op == "FROM").i).ToList();

    /// <summary>The <c>ENV key=value</c> pairs of the final stage (quotes removed).</summary>
    public IReadOnlyDictionary<string, string> Env => FinalStage.Where(i => i.Op == "ENV")
        .SelectMany(i => EnvPair().Matches(i.Args))
        .ToDictionary(m => m.Groups["k"].Value, m => m.Groups["v"].Value.Trim('"'));

    /// <summary>ENTRYPOINT in exec form.</summary>
    public string[] Entrypoint => JsonSerializer.Deserialize<string[]>(FinalStage.Single(i => i.Op == "ENTRYPOINT").Args)!;

    /// <summary>Source paths of the COPY instructions that read the build context (not <c>--from</c>).</summary>
    public IEnumerable<string> ContextCopies => Instructions
        .Where(i => i.Op == "COPY" && !i.Args.StartsWith("--from", StringComparison.Ordinal))
        .SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1));

    [GeneratedRegex("""(?<k>[A-Za-z_][A-Za-z0-9_]*)=(?<v>"[^"]*"|\S*)""")]
    private static partial Regex EnvPair();
}

/// <summary>
/// The repository's .dockerignore, for the pattern forms it uses: <c>*</c>, a path (the entry and everything below),
/// <c>**/name</c> (any path segment) and their <c>!</c> negations; the last matching line decides, as Docker does.
/// </summary>
internal sealed class DockerIgnore(IReadOnlyList<string> patterns)
{
    public static DockerIgnore Load() => new(File.ReadAllLines(RepositoryRoot.Combine(".dockerignore"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList());

    public IReadOnlyList<string> Patterns => patterns;

    /// <summary>True when <paramref name="path"/> (relative, forward slashes) is sent to the build.</summary>
    public bool Includes(string path)
    {
        var included = true;
        foreach (var line in patterns)
        {
            var negated = line.StartsWith('!');
            var pattern = negated ? line[1..] : line;
            if (Matches(pattern.TrimEnd('/'), path.TrimEnd('/'))) included = negated;
        }
        return included;
    }

    private static bool Matches(string pattern, string path) => pattern switch
    {
        "*" => true,
        _ when pattern.StartsWith("**/", StringComparison.Ordinal) => path.Split('/').Contains(pattern[3..]),
        _ when pattern.Contains('*') || pattern.Contains('?') || pattern.Contains('[') =>
            throw new NotSupportedException($".dockerignore pattern '{pattern}' is not a form this test understands"),
        _ => path == pattern || path.StartsWith(pattern + "/", StringComparison.Ordinal),
    };
}
