using System.Security.Cryptography;
using System.Text;
using Firecrest.Core.Models;

namespace Firecrest.Core.Idempotency;

/// <summary>
/// The fingerprint of a submit request: SHA-256 over every field of the job description (environment sorted by
/// name), so the same request gives the same fingerprint in every process and any changed field another.
/// </summary>
public static class SubmitFingerprint
{
    /// <summary>Lowercase hex SHA-256 of <paramref name="job"/>.</summary>
    public static string Of(JobDescription job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var text = new StringBuilder();
        foreach (var field in new[]
                 {
                     job.Name, job.Account, job.Reservation, job.Partition, job.Constraints, job.WorkingDirectory,
                     job.StandardInput, job.StandardOutput, job.StandardError, job.Script, job.ScriptPath, job.Dependency,
                 })
            Append(text, field);
        if (job.Env is null) Append(text, null);
        else
        {
            Append(text, job.Env.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (name, value) in job.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Append(text, name);
                Append(text, value);
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }

    // Length-prefixed, with null distinct from empty, so no two different field lists give the same text.
    private static void Append(StringBuilder text, string? value) =>
        (value is null ? text.Append('-') : text.Append(value.Length).Append(':').Append(value)).Append(';');
}
