using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Firecrest.Core.Batch;

namespace Firecrest.Core.Tests.Batch;

public sealed class BatchFingerprintTests
{
    private static BatchJobDefinition Job(string script = "echo hi") => new()
    {
        Name = "a",
        Script = script,
        Resources = new BatchResources { Nodes = 2, Time = "00:10:00", Extra = ["--exclusive"] },
        Account = "proj",
        WorkingDirectory = "/home/u/run",
        Env = new Dictionary<string, string> { ["B"] = "2", ["A"] = "é\"1" },
        Inputs = [new BatchFileMapping("in.txt", "/home/u/run/in.txt")],
        Outputs = [new BatchFileMapping("out.txt", "/home/u/run/out.txt")],
        DependsOn = ["b"],
        Retries = 1,
    };

    // State files written by earlier versions hashed this anonymous shape with the serializer's defaults; the same job
    // must keep its fingerprint, or a resumed run would rerun every job.
    [Fact]
    public void A_job_keeps_the_fingerprint_of_the_shape_state_files_were_written_with()
    {
        var job = Job();
        var before = JsonSerializer.Serialize(new
        {
            job.Script, job.RemoteScript, job.Resources, job.Account, job.WorkingDirectory,
            Env = job.Env.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray(),
            job.Inputs, job.Outputs, job.DependsOn, job.Retries,
        });

        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(before)))[..16].ToLowerInvariant(), BatchStateFile.Fingerprint(job));
        Assert.NotEqual(BatchStateFile.Fingerprint(job), BatchStateFile.Fingerprint(Job("echo bye")));
    }
}
