using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firecrest.Core.Json;

namespace Firecrest.Core.Batch;

/// <summary>Reads and writes the state file of a run (<c>&lt;run file&gt;.state.json</c>): the report so far, written after every change.</summary>
internal static class BatchStateFile
{
    public static BatchReport? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return BatchReport.FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new HpcException(HpcErrorKind.InvalidArgument, $"State file '{path}' is damaged ({e.Message}); delete it to start the run afresh.", e);
        }
    }

    public static void Write(string path, BatchReport report)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, report.ToJson());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Hash of what makes a job what it is; a resumed run reruns a job whose fingerprint changed.</summary>
    public static string Fingerprint(BatchJobDefinition job)
    {
        var text = JsonSerializer.Serialize(new JobFingerprint(job.Script, job.RemoteScript, job.Resources, job.Account, job.WorkingDirectory,
            job.Env.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray(), job.Inputs, job.Outputs, job.DependsOn, job.Retries),
            CoreJsonContext.Default.JobFingerprint);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <summary>
    /// What <see cref="Fingerprint"/> hashes, written with the serializer's defaults (member names as declared): a state
    /// file written before keeps its fingerprints only while these members, their order and their names stay.
    /// </summary>
    internal sealed record JobFingerprint(string? Script, string? RemoteScript, BatchResources Resources, string? Account, string WorkingDirectory,
        KeyValuePair<string, string>[] Env, IReadOnlyList<BatchFileMapping> Inputs, IReadOnlyList<BatchFileMapping> Outputs,
        IReadOnlyList<string> DependsOn, int Retries);
}
