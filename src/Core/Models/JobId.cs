using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Firecrest.Core.Models;

/// <summary>
/// A scheduler's job id, checked against the one grammar every face and adapter shares: Slurm <c>123</c>, array
/// element <c>123_4</c>, array range or list <c>123_[1-3]</c> / <c>123_[1,3-5]</c>, heterogeneous component
/// <c>123+1</c>; PBS <c>123.server</c>, <c>123[]</c>, <c>123[4].server</c>. No shell metacharacter, blank or
/// line break can be part of a valid id, and it is at most <see cref="MaxLength"/> characters. On the wire it
/// stays a plain string.
/// </summary>
public readonly partial record struct JobId
{
    /// <summary>Longest accepted id.</summary>
    public const int MaxLength = 128;

    /// <summary>The field name used when the caller gives none.</summary>
    public const string DefaultField = "job_id";

    private readonly string? _value;

    private JobId(string value) => _value = value;

    /// <summary>The id as the scheduler writes it.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised JobId has no value; use JobId.Parse.");

    /// <summary>
    /// Checks <paramref name="text"/>; throws <see cref="HpcErrorKind.InvalidArgument"/> naming
    /// <paramref name="fieldName"/> when it is not a job id.
    /// </summary>
    public static JobId Parse(string? text, string fieldName) =>
        TryParse(text, out var id) ? id : throw Invalid(text, fieldName);

    /// <summary>
    /// <see cref="Parse(string?, string)"/> for the field <c>job_id</c>. PowerShell and other binders convert a string
    /// to a <see cref="JobId"/> through this overload.
    /// </summary>
    public static JobId Parse(string? text) => Parse(text, DefaultField);

    /// <summary>True, with the id, when <paramref name="text"/> is a job id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out JobId id)
    {
        if (text is { Length: > 0 and <= MaxLength } && Grammar().IsMatch(text))
        {
            id = new JobId(text);
            return true;
        }
        id = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => _value ?? "";

    /// <summary>The id as text (the wire form); an uninitialised value gives an empty string.</summary>
    public static implicit operator string(JobId id) => id.ToString();

    // The one place that builds the refusal: its kind and wording are what every face reports.
    private static HpcException Invalid(string? text, string fieldName)
    {
        var shown = text is null ? "(none)" : text.Length > 40 ? $"'{text[..40]}…'" : $"'{text}'";
        return new HpcException(HpcErrorKind.InvalidArgument,
            $"Invalid {fieldName} {shown}: a job id looks like 123, 123_4, 123_[1-3], 123+1, 123.server or 123[4].server " +
            $"(digits first, at most {MaxLength} characters).");
    }

    [GeneratedRegex("""
        ^[0-9]+
        (?: _(?: [0-9]+ | \[ [0-9]+(?:-[0-9]+)? (?:,[0-9]+(?:-[0-9]+)?)* \] )   # Slurm array element, range or list
          | \+[0-9]+                                                            # Slurm heterogeneous component
          | \[[0-9]*\] )?                                                       # PBS array job or sub-job
        (?: \.[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9][A-Za-z0-9-]*)* )?        # PBS server suffix
        \z
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
