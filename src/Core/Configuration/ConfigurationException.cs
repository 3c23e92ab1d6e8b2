namespace Firecrest.Core.Configuration;

/// <summary>The configuration cannot be used: lists every problem found, each with its key path and the reason.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the error from the problems found.</summary>
    public ConfigurationException(IReadOnlyList<string> problems, string? source = null, Exception? inner = null)
        : base(Format(problems, source), inner)
    {
        Problems = problems;
        ConfigPath = source;
    }

    /// <summary>Each problem: key path and why, e.g. <c>clusters[0].ssh.port is required</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The configuration file, when known.</summary>
    public string? ConfigPath { get; }

    private static string Format(IReadOnlyList<string> problems, string? source)
    {
        var head = source is null ? "Invalid FirecREST configuration" : $"Invalid FirecREST configuration in {source}";
        return problems.Count == 1
            ? $"{head}: {problems[0]}"
            : $"{head} ({problems.Count} problems):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}";
    }
}
