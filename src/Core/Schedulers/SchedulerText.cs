using System.Globalization;
using System.Text.RegularExpressions;

namespace Firecrest.Core.Schedulers;

/// <summary>Text helpers shared by the scheduler adapters: durations, numbers, key=value records.</summary>
public static partial class SchedulerText
{
    /// <summary>Converts <c>[D-]HH:MM:SS</c>, <c>H:MM:SS</c>, <c>M:SS</c> or plain seconds to seconds; null when not a duration.</summary>
    public static long? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        long days = 0;
        var dash = text.IndexOf('-');
        if (dash > 0)
        {
            if (!long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days)) return null;
            text = text[(dash + 1)..];
        }
        var parts = text.Split(':');
        if (parts.Length > 3) return null;
        long total = 0;
        foreach (var p in parts)
        {
            if (!double.TryParse(p, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)) return null;
            total = total * 60 + (long)v;
        }
        // "D-HH" and "D-HH:MM" count from hours.
        if (dash > 0 && parts.Length < 3) total *= parts.Length == 1 ? 3600 : 60;
        return days * 86400 + total;
    }

    /// <summary>Parses an integer; null for empty, <c>N/A</c>, <c>Unknown</c>, <c>(null)</c>, <c>None</c> or junk.</summary>
    public static long? ParseLong(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d))
            return (long)Math.Round(d);
        return null;
    }

    /// <summary>Parses an int like <see cref="ParseLong"/>.</summary>
    public static int? ParseInt(string? text) => ParseLong(text) is { } v && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;

    /// <summary>Parses a floating-point number; null when not a number.</summary>
    public static double? ParseDouble(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>Null for empty text and Slurm's placeholders (<c>(null)</c>, <c>N/A</c>, <c>None</c>, <c>Unknown</c>).</summary>
    public static string? NullIfPlaceholder(string? text) =>
        string.IsNullOrWhiteSpace(text) || text is "(null)" or "N/A" or "Unknown" ? null : text;

    /// <summary>
    /// Splits a one-line <c>Key=Value Key=Value</c> record (scontrol -o) into a dictionary. A value runs up to the
    /// next <c> Key=</c>, so values with spaces (<c>StartTime=4 Jun 08:00</c>) survive.
    /// </summary>
    public static Dictionary<string, string> ParseKeyValueLine(string line)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = KeyPattern().Matches(line);
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            var start = m.Index + m.Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : line.Length;
            result[m.Groups[1].Value] = line[start..end].Trim();
        }
        return result;
    }

    [GeneratedRegex(@"(?:^|(?<=\s))([A-Za-z][A-Za-z0-9_/:]*)=")]
    private static partial Regex KeyPattern();

    /// <summary>Wraps a command as <c>timeout N command</c> (the sync timeout of the SSH layer).</summary>
    public static string WithTimeout(double seconds, string commandLine) =>
        $"timeout {Math.Max(1, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture)} {commandLine}";
}
