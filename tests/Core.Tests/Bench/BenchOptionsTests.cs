using Firecrest.Bench;

namespace Firecrest.Core.Tests.Bench;

/// <summary>The bench's <c>--server-env</c>: runtime settings of the benchmarked server for an A/B on one build.</summary>
public class BenchOptionsTests
{
    [Fact]
    public void Server_env_is_repeatable_and_keeps_everything_after_the_first_equals_sign()
    {
        var o = BenchOptions.Parse(["--server-env", "DOTNET_GCGen0MaxBudget=4000000", "--server-env", "X=a=b", "--server-env", "X=c=d"]);
        Assert.Equal(new Dictionary<string, string> { ["DOTNET_GCGen0MaxBudget"] = "4000000", ["X"] = "c=d" }, o.ServerEnvironment);
        Assert.Empty(BenchOptions.Parse([]).ServerEnvironment);
    }

    [Theory]
    [InlineData("NOVALUE")]
    [InlineData("=value")]
    public void Server_env_without_a_name_and_an_equals_sign_is_refused(string assignment)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--server-env", assignment]));
        Assert.Contains(assignment, e.Message);
    }
}
