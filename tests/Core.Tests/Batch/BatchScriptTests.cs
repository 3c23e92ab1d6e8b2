using Firecrest.Core.Batch;

namespace Firecrest.Core.Tests.Batch;

public sealed class BatchScriptTests
{
    private static readonly BatchResources Resources = new()
    {
        Nodes = 2, Tasks = 8, CpusPerTask = 2, Time = "1-02:00:00", Memory = "4G", Gres = "gpu:1", Partition = "debug", Extra = ["--exclusive"],
    };

    [Fact]
    public void Slurm_resources_become_sbatch_lines_after_the_shebang()
    {
        var job = new BatchJobDefinition { Name = "A", Script = "#!/bin/sh\necho hi", Resources = Resources, WorkingDirectory = "/w", Account = "acc" };

        var d = BatchScript.Describe(job, "slurm", "afterok:1:2");

        Assert.Equal(
            "#!/bin/sh\n#SBATCH --nodes=2\n#SBATCH --ntasks=8\n#SBATCH --cpus-per-task=2\n#SBATCH --time=1-02:00:00\n#SBATCH --mem=4G\n#SBATCH --gres=gpu:1\n#SBATCH --exclusive\necho hi\n",
            d.Script);
        Assert.Equal("debug", d.Partition);
        Assert.Equal("acc", d.Account);
        Assert.Equal("afterok:1:2", d.Dependency);
        Assert.Equal("/w", d.WorkingDirectory);
    }

    [Fact]
    public void Pbs_resources_become_select_walltime_and_mem()
    {
        var lines = BatchScript.Directives(Resources, "pbs");
        Assert.Equal(["#PBS -l select=2:ncpus=8:mpiprocs=4", "#PBS -l walltime=26:00:00", "#PBS -l mem=4gb", "#PBS -l ngpus=1", "#PBS --exclusive"], lines);
    }

    [Theory]
    [InlineData("30", "00:30:00")]
    [InlineData("5:30", "00:05:30")]
    [InlineData("01:02:03", "01:02:03")]
    [InlineData("2-3", "51:00:00")]
    public void Slurm_time_forms_become_pbs_walltime(string slurm, string pbs) => Assert.Equal(pbs, BatchScript.PbsWalltime(slurm));

    [Fact]
    public void Script_without_shebang_gets_bash()
    {
        var text = BatchScript.WithDirectives("echo hi", ["#SBATCH --nodes=1"]);
        Assert.Equal("#!/bin/bash\n#SBATCH --nodes=1\necho hi\n", text);
    }

    [Fact]
    public void Remote_script_without_resources_is_submitted_by_path()
    {
        var d = BatchScript.Describe(new BatchJobDefinition { Name = "A", RemoteScript = "/home/u/job.sh", WorkingDirectory = "/w" }, "slurm", null);
        Assert.Equal("/home/u/job.sh", d.ScriptPath);
        Assert.Null(d.Script);
    }
}
