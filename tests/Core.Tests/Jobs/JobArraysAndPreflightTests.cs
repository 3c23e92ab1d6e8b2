using Firecrest.Core.Jobs;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Jobs;

public sealed class JobArraysAndPreflightTests
{
    [Theory]
    [InlineData("0-15")]
    [InlineData("1,3,5-9:2")]
    [InlineData("1-100%10")]
    [InlineData("7")]
    public void Slurm_array_specs_are_accepted(string spec) => Assert.Equal(spec, JobArrays.ValidateSpec(spec, "slurm"));

    [Theory]
    [InlineData("1-3\n")]
    [InlineData("1-3; rm -rf ~")]
    [InlineData("a-b")]
    [InlineData("")]
    [InlineData("1-3%")]
    public void Bad_slurm_specs_name_the_field(string spec) =>
        Assert.Equal("array", Assert.Single(Assert.Throws<HpcValidationException>(() => JobArrays.ValidateSpec(spec, "slurm")).Fields).Name);

    [Fact]
    public void Pbs_takes_one_range_only() =>
        Assert.Throws<HpcValidationException>(() => JobArrays.ValidateSpec("1,2", "pbs"));

    [Fact]
    public void The_directive_goes_right_after_the_interpreter_line()
    {
        Assert.Equal("#!/bin/bash\n#SBATCH --array=1-3\necho $SLURM_ARRAY_TASK_ID\n", JobArrays.WithArrayDirective("#!/bin/bash\necho $SLURM_ARRAY_TASK_ID\n", "1-3", "slurm"));
        Assert.Equal("#!/bin/sh\n#PBS -J 1-4:2\n", JobArrays.WithArrayDirective("#!/bin/sh", "1-4:2", "pbs"));
        Assert.Equal("script", Assert.Single(Assert.Throws<HpcValidationException>(() => JobArrays.WithArrayDirective("echo hi\n", "1-3", "slurm")).Fields).Name);
    }

    private static UserInfo User(string uid, string gid, params string[] groups) => new()
    {
        User = new IdName { Id = uid, Name = "u" }, Group = new IdName { Id = gid, Name = "g" }, Groups = groups.Select(g => new IdName { Id = g, Name = g }).ToList(),
    };

    [Theory]
    [InlineData(0x41C0, 1000, 1000, "1000", "1000", true)]   // drwx------ owner
    [InlineData(0x4140, 1000, 1000, "1000", "1000", false)]  // dr-x------ owner, no write
    [InlineData(0x41C0, 1000, 1000, "1001", "1000", false)]  // drwx------ same group, not owner
    [InlineData(0x41F8, 1000, 2000, "1001", "1001", true)]   // drwxrwx--- user in group 2000 (supplementary)
    [InlineData(0x41FF, 1000, 1000, "1002", "1002", true)]   // drwxrwxrwx other
    [InlineData(0x41FD, 1000, 1000, "1002", "1002", false)]  // drwxrwxr-x other, no write
    [InlineData(0x41A0, 1000, 1000, "1000", "1000", false)]  // drw------- owner, no search
    [InlineData(0x4000, 1000, 1000, "0", "0", true)]         // root
    public void Writable_follows_the_permission_class_that_applies(long mode, long uid, long gid, string userId, string groupId, bool writable) =>
        Assert.Equal(writable, SubmitPreflight.IsWritable(new FileStat { Mode = mode, Uid = uid, Gid = gid }, User(userId, groupId, "2000")));
}
