using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

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
        var text = JsonSerializer.Serialize(new
        {
            job.Script, job.RemoteScript, job.Resources, job.Account, job.WorkingDirectory,
            Env = job.Env.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray(),
            job.Inputs, job.Outputs, job.DependsOn, job.Retries,
        });
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }
}
