using Firecrest.Core.Models;

namespace Firecrest.Core.Tests.Schedulers;

public class JobStateNormalizeTests
{
    [Theory]
    [InlineData("CANCELLED by 1001", null, JobState.Cancelled)]
    [InlineData("PENDING", null, JobState.Pending)]
    [InlineData("TIMEOUT", null, JobState.Timeout)]
    [InlineData("F", 0, JobState.Completed)]
    [InlineData("F", 2, JobState.Failed)]
    [InlineData("X", 0, JobState.Completed)] // PBS: finished array sub-job (was mapped to Running)
    [InlineData("X", 1, JobState.Failed)]
    [InlineData("B", null, JobState.Running)]
    [InlineData("running", null, JobState.Running)]
    public void Raw_states_normalise(string raw, int? exit, JobState expected) => Assert.Equal(expected, JobStates.Normalize(raw, exit));
}
