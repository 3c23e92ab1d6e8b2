using Firecrest.Core;
using Firecrest.Core.Jobs;
using Firecrest.Mcp.Tests.Infrastructure;

namespace Firecrest.Mcp.Tests;

/// <summary><see cref="SubmitPreflight"/> over an in-memory system whose directories belong to its user.</summary>
public sealed class SubmitPreflightTests
{
    private readonly FakeHpc _hpc = new();

    public SubmitPreflightTests()
    {
        _hpc.FilesByPath["/home/u/"] = "";
        _hpc.FilesByPath["/home/u/f.txt"] = "text";
    }

    private static SubmitPreflight.Target Target(string dir, string? partition = null, string? account = null) =>
        new(dir, partition, account, new SubmitPreflight.FieldNames());

    [Fact]
    public async Task An_existing_writable_directory_with_known_partition_and_account_passes() =>
        await SubmitPreflight.CheckAsync(_hpc, "alps", "/home/u", "debug", "hpcproj");

    [Fact]
    public async Task Every_problem_is_named_in_one_error()
    {
        var e = await Assert.ThrowsAsync<HpcValidationException>(() => SubmitPreflight.CheckAsync(_hpc, "alps", "/home/u/missing", "nope", "other"));
        Assert.Equal(["workingDirectory", "partition", "account"], e.Fields.Select(f => f.Name));
        Assert.Contains("does not exist", e.Fields[0].Message);
        Assert.Contains("debug, long", e.Fields[1].Message);
        Assert.Contains("hpcproj", e.Fields[2].Message);
    }

    [Fact]
    public async Task A_file_is_not_a_working_directory_and_an_unknown_system_stops_first()
    {
        var file = await Assert.ThrowsAsync<HpcValidationException>(() => SubmitPreflight.CheckAsync(_hpc, "alps", "/home/u/f.txt"));
        Assert.Contains("is not a directory", Assert.Single(file.Fields).Message);
        var system = await Assert.ThrowsAsync<HpcValidationException>(() => SubmitPreflight.CheckAsync(_hpc, "nowhere", "/home/u", names: new("sys", "wd", "p", "a")));
        Assert.Equal("sys", Assert.Single(system.Fields).Name);
        Assert.Contains("alps, eiger", system.Fields[0].Message);
    }

    [Fact]
    public async Task When_the_caller_creates_directories_a_writable_ancestor_is_enough()
    {
        await SubmitPreflight.CheckAsync(_hpc, "alps", [Target("/home/u/new/deeper")], mayCreateDirectories: true);
        var e = await Assert.ThrowsAsync<HpcValidationException>(() => SubmitPreflight.CheckAsync(_hpc, "alps", [Target("/home/u/f.txt/sub")], mayCreateDirectories: true));
        Assert.Contains("'/home/u/f.txt' is not a directory", Assert.Single(e.Fields).Message);
    }
}
