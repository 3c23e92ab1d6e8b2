using Firecrest.Core.Schedulers.Slurm;

namespace Firecrest.Core.Tests.Schedulers;

public sealed class SlurmOutputPatternsTests
{
    [Theory]
    [InlineData(null, null, false, "slurm-%j.out", "slurm-%j.out")]
    [InlineData(null, null, true, "slurm-%A_%a.out", "slurm-%A_%a.out")]
    [InlineData("sbatch --output=o.txt", null, false, "o.txt", "o.txt")]
    [InlineData("sbatch -o o.txt -e e.txt", null, false, "o.txt", "e.txt")]
    [InlineData("sbatch -oo.txt --error e.txt", null, false, "o.txt", "e.txt")]
    [InlineData("sbatch --chdir=/w job.sh --output=arg.txt", null, false, "slurm-%j.out", "slurm-%j.out")]
    [InlineData("sbatch --job-name x", "#!/bin/bash\n#SBATCH --error=s.err\n#SBATCH -o s.out\nhostname\n", false, "s.out", "s.err")]
    [InlineData("sbatch --output=line.out", "#!/bin/bash\n#SBATCH --output=script.out\n", false, "line.out", "line.out")]
    [InlineData(null, "#!/bin/bash\necho hi\n#SBATCH --output=late.out\n", false, "slurm-%j.out", "slurm-%j.out")]
    [InlineData(null, "#!/bin/bash\n# SBATCH --output=spaced.out\n##SBATCH --output=doubled.out\n", false, "slurm-%j.out", "slurm-%j.out")]
    [InlineData("sbatch '--output=with space.out'", null, false, "with space.out", "with space.out")]
    public void Find_applies_sbatch_precedence(string? submitLine, string? script, bool array, string output, string error)
    {
        var found = SlurmOutputPatterns.Find(submitLine, script, array);
        Assert.Equal((output, error), (found.Output, found.Error));
    }

    [Theory]
    [InlineData("slurm-%j.out", "42", null, "/w/slurm-42.out")]
    [InlineData("%x-%u-%j.log", "42", null, "/w/job-alice-42.log")]
    [InlineData("/abs/%A_%a.out", "7_3", "10", "/abs/7_3.out")]
    [InlineData("out-%j.txt", "7_3", "10", "/w/out-10.txt")]
    [InlineData("%5j-%3a-%b.out", "7_13", "25", "/w/00025-013-3.out")]
    [InlineData("%N-%n-%t-%s-%J.out", "42", null, "/w/node1-0-0-batch-42.batch.out")]
    [InlineData("100%%-%q.out", "42", null, "/w/100%-%q.out")]
    public void ResolvePath_expands_like_slurm(string pattern, string jobId, string? raw, string expected) =>
        Assert.Equal(expected, SlurmControlParsers.ResolvePath(pattern, jobId, "job", "alice", "/w", "node1", raw));

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("nid[003-004],x1", "nid003")]
    [InlineData("nid[007,009]", "nid007")]
    public void FirstNode_takes_the_first_host_of_a_node_list(string list, string first) =>
        Assert.Equal(first, SlurmCliScheduler.FirstNode(list));
}
