using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Firecrest.Core.DataTransfer;

/// <summary>
/// A bash job script kept as an embedded <c>*.sh.template</c> resource. Placeholders are <c>@@NAME@@</c>; every
/// value is inserted verbatim, so callers pass words already quoted with <see cref="Ssh.ShellQuote.Quote"/> (or
/// numbers they produced). Nothing is HTML-escaped: a path arrives in the script exactly as given.
/// </summary>
internal static partial class JobScriptTemplate
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <summary>Renders template <paramref name="name"/> (file name without <c>.sh.template</c>).</summary>
    /// <exception cref="InvalidOperationException">A placeholder has no value, or a value has no placeholder.</exception>
    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = Cache.GetOrAdd(name, Load);
        foreach (var key in values.Keys)
            if (!text.Contains($"@@{key}@@", StringComparison.Ordinal))
                throw new InvalidOperationException($"Template {name} has no placeholder @@{key}@@.");
        // One pass over the template text: an inserted value is never scanned for placeholders again.
        return Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"Template {name}: no value for @@{m.Groups[1].Value}@@."));
    }

    /// <summary>The raw template text.</summary>
    public static string Raw(string name) => Cache.GetOrAdd(name, Load);

    private static string Load(string name)
    {
        var asm = typeof(JobScriptTemplate).Assembly;
        var resource = asm.GetManifestResourceNames().SingleOrDefault(r => r.EndsWith($".{name}.sh.template", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded job script template {name}.sh.template not found.");
        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [GeneratedRegex("@@([A-Z_]+)@@")]
    private static partial Regex Placeholder();
}
