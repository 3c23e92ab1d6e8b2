using System.Text.RegularExpressions;

namespace Firecrest.Core.Jobs;

/// <summary>
/// Job arrays: one submission that runs the same script once per index (Slurm <c>--array</c>, PBS <c>-J</c>). The
/// array spec becomes a directive in the script, so it works through any FirecREST v2 server as well as the engine.
/// </summary>
public static partial class JobArrays
{
    /// <summary>
    /// Checks an array spec: Slurm takes indexes and ranges with steps and an optional limit of tasks at once
    /// (<c>0-15</c>, <c>1,3,5-9:2</c>, <c>1-100%10</c>); PBS takes one range with an optional step (<c>1-10:2</c>).
    /// </summary>
    /// <exception cref="HpcValidationException">The spec does not fit the scheduler (field <paramref name="field"/>).</exception>
    public static string ValidateSpec(string? spec, string schedulerType, string field = "array")
    {
        var pbs = IsPbs(schedulerType);
        if (string.IsNullOrWhiteSpace(spec) || !(pbs ? PbsSpec() : SlurmSpec()).IsMatch(spec))
            throw new HpcValidationException(field, pbs
                ? $"'{spec}' is not a PBS array range; use first-last or first-last:step, e.g. 1-10 or 0-20:2"
                : $"'{spec}' is not a Slurm array spec; use indexes and ranges like 0-15, 1,3,5-9:2 or 1-100%10 (at most 10 at once)");
        return spec;
    }

    /// <summary>
    /// <paramref name="script"/> with the array directive (<c>#SBATCH --array=…</c> or <c>#PBS -J …</c>) placed right after
    /// its <c>#!</c> line, where the scheduler reads it.
    /// </summary>
    /// <exception cref="HpcValidationException">The script has no <c>#!</c> line (field <paramref name="scriptField"/>) or the spec is wrong.</exception>
    public static string WithArrayDirective(string script, string spec, string schedulerType, string field = "array", string scriptField = "script")
    {
        ValidateSpec(spec, schedulerType, field);
        if (string.IsNullOrEmpty(script) || !script.StartsWith("#!", StringComparison.Ordinal))
            throw new HpcValidationException(scriptField, "must start with an interpreter line such as '#!/bin/bash'");
        var newline = script.IndexOf('\n');
        var directive = IsPbs(schedulerType) ? $"#PBS -J {spec}" : $"#SBATCH --array={spec}";
        return newline < 0 ? script + "\n" + directive + "\n" : script[..(newline + 1)] + directive + "\n" + script[(newline + 1)..];
    }

    private static bool IsPbs(string schedulerType) => string.Equals(schedulerType, "pbs", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(\d{1,7}(-\d{1,7}(:\d{1,7})?)?)(,\d{1,7}(-\d{1,7}(:\d{1,7})?)?)*(%\d{1,7})?\z")]
    private static partial Regex SlurmSpec();

    [GeneratedRegex(@"^\d{1,7}-\d{1,7}(:\d{1,7})?\z")]
    private static partial Regex PbsSpec();
}
