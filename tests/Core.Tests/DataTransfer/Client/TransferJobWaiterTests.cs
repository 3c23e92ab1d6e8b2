using Firecrest.Core.DataTransfer.Client;
using Firecrest.Core.Models;
using Firecrest.Tests.Support;

namespace Firecrest.Core.Tests.DataTransfer.Client;

public sealed class TransferJobWaiterTests
{
    [Fact]
    public async Task Polls_on_the_backoff_from_the_shortest_to_the_largest_delay()
    {
        var clock = new JumpingClock();
        var operations = new FakeStagingOperations { RunningPolls = 200 };
        var options = new FileTransferOptions { JobPollInterval = TimeSpan.FromMilliseconds(500), JobPollMaxInterval = TimeSpan.FromSeconds(3) };

        var job = await new TransferJobWaiter(operations, options, clock).WaitFinalAsync("fake", "1", CancellationToken.None);

        Assert.Equal(JobState.Completed, job.State);
        Assert.Equal(201, operations.JobPolls);
        Assert.Equal(200, clock.Delays.Count);
        double[] expected = [500, 750, 1125, 1687.5, 2531.25, 3000, 3000];
        for (var i = 0; i < expected.Length; i++)
            Assert.InRange(clock.Delays[i].TotalMilliseconds, expected[i] - 1, expected[i] + 1); // timers take whole milliseconds
        Assert.All(clock.Delays.Skip(5), d => Assert.Equal(TimeSpan.FromSeconds(3), d));
    }
}
