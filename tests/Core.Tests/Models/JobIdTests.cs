using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Models;

public sealed class JobIdTests
{
    [Theory]
    [InlineData("123")]
    [InlineData("123_4")]
    [InlineData("123_[1-3]")]
    [InlineData("123_[1,3-5]")]
    [InlineData("123_[7]")]
    [InlineData("123+1")]
    [InlineData("123.server")]
    [InlineData("123.pbs-01.example.org")]
    [InlineData("123[]")]
    [InlineData("123[4]")]
    [InlineData("123[4].server")]
    public void Every_scheduler_form_is_accepted_unchanged(string text)
    {
        var id = JobId.Parse(text, "job_id");
        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
        Assert.True(JobId.TryParse(text, out var again));
        Assert.Equal(id, again);
    }

    [Theory]
    [InlineData("1;id")]
    [InlineData("12 3")]
    [InlineData("123\n")]
    [InlineData("123\r")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("$(id)")]
    [InlineData("1`id`")]
    [InlineData("123_")]
    [InlineData("123_[1-3")]
    [InlineData("123_[]")]
    [InlineData("123+")]
    [InlineData("123.")]
    [InlineData("123..server")]
    [InlineData("123.-x")]
    [InlineData("-1")]
    [InlineData("1'2")]
    [InlineData("1|2")]
    [InlineData("1&2")]
    [InlineData("1>x")]
    [InlineData("../1")]
    [InlineData("١٢٣")] // non-ASCII digits
    public void Anything_else_is_refused_naming_the_field(string text)
    {
        Assert.False(JobId.TryParse(text, out _));
        var e = Assert.Throws<HpcException>(() => JobId.Parse(text, "jobIdField"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("jobIdField", e.Message);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(JobId.TryParse(null, out _));
        Assert.Equal(HpcErrorKind.InvalidArgument, Assert.Throws<HpcException>(() => JobId.Parse(null, "job_id")).Kind);
    }

    [Fact]
    public void Length_is_bounded()
    {
        var longest = new string('9', JobId.MaxLength);
        Assert.Equal(longest, JobId.Parse(longest).Value);
        var e = Assert.Throws<HpcException>(() => JobId.Parse(longest + "9", "job_id"));
        Assert.Equal(HpcErrorKind.InvalidArgument, e.Kind);
        Assert.True(e.Message.Length < 300, "the refusal does not echo a long input in full");
    }

    [Fact]
    public void The_one_argument_parse_used_by_binders_names_job_id()
    {
        Assert.Contains("job_id", Assert.Throws<HpcException>(() => JobId.Parse("x y")).Message);
        Assert.Equal("12_3", JobId.Parse("12_3").Value);
    }

    [Fact]
    public void An_uninitialised_value_has_no_value()
    {
        Assert.Throws<InvalidOperationException>(() => default(JobId).Value);
        Assert.Equal("", default(JobId).ToString());
    }
}
