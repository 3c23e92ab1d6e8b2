using Firecrest.Core.Jobs;
using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Jobs;

public sealed class JobListFilterTests
{
    private static Job J(string id, string state, long? start = null, long? end = null, string name = "j") =>
        new() { JobId = id, Name = name, Status = new JobStatus { State = state, ExitCode = 0 }, Time = new JobTime { Start = start, End = end } };

    private static readonly Job[] Jobs =
    [
        J("1", "COMPLETED", 100, 200), J("2", "FAILED", 300, 400, "x"), J("3", "RUNNING", 500), J("4", "PENDING"), J("5", "CANCELLED", 600, 700),
    ];

    [Fact]
    public void Keeps_the_newest_up_to_the_limit_and_says_it_truncated()
    {
        var page = new JobListFilter(Limit: 2).Apply(Jobs);
        Assert.Equal(["4", "5"], page.Jobs.Select(j => j.JobId));
        Assert.Equal(5, page.Total);
        Assert.True(page.Truncated);
        Assert.False(new JobListFilter(Limit: 5).Apply(Jobs).Truncated);
    }

    [Fact]
    public void Filters_by_state_name_and_since()
    {
        Assert.Equal(["2", "1"], new JobListFilter(States: JobListFilter.ParseStates(["failed", "Completed"])).Apply(Jobs).Jobs.Select(j => j.JobId));
        Assert.Equal(["2"], new JobListFilter(Name: "x").Apply(Jobs).Jobs.Select(j => j.JobId));
        var since = DateTimeOffset.FromUnixTimeSeconds(400);
        Assert.Equal(["4", "5", "3", "2"], new JobListFilter(Since: since).Apply(Jobs).Jobs.Select(j => j.JobId));
    }

    [Theory]
    [InlineData("done")]
    [InlineData("unknown")]
    [InlineData("3")]
    public void An_unknown_state_names_the_field(string state)
    {
        var e = Assert.Throws<HpcValidationException>(() => JobListFilter.ParseStates([state]));
        Assert.Equal("state", Assert.Single(e.Fields).Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void A_limit_out_of_range_names_the_field(int limit) =>
        Assert.Equal("limit", Assert.Single(Assert.Throws<HpcValidationException>(() => new JobListFilter(limit).Apply(Jobs)).Fields).Name);

    [Theory]
    [InlineData(30, "1h")]
    [InlineData(60 * 5, "8h")]
    [InlineData(60 * 20, "24h")]
    [InlineData(60 * 48, "3d")]
    [InlineData(60 * 24 * 30, "7d")]
    public void The_look_back_window_covers_since(int minutesAgo, string window)
    {
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(window, new JobListFilter(Since: now.AddMinutes(-minutesAgo)).TimeWindow(now));
        Assert.Equal("24h", new JobListFilter().TimeWindow(now));
    }

    [Theory]
    [InlineData("COMPLETED", 0, 0)]
    [InlineData("FAILED", 2, 2)]
    [InlineData("RUNNING", 0, null)]
    [InlineData("PENDING", 0, null)]
    [InlineData("CANCELLED by 1001", 0, null)]
    [InlineData("TIMEOUT", 0, null)]
    [InlineData("CANCELLED", 137, 137)]
    public void Exit_code_is_only_given_for_ended_jobs_that_returned_one(string state, int code, int? expected) =>
        Assert.Equal(expected, new Job { Status = new JobStatus { State = state, ExitCode = code } }.EndedExitCode);
}
