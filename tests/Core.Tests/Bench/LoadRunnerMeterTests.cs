using Firecrest.Bench;

namespace Firecrest.Core.Tests.Bench;

/// <summary>Runs alone: the load runner's window is wall time, and other tests' busy loops can starve its workers past it.</summary>
[CollectionDefinition(nameof(LoadRunnerMeterTests), DisableParallelization = true)]
public sealed class LoadRunnerAlone;

/// <summary>CPU and allocation per operation of a load run: read when the measured window opens and when it closes.</summary>
[Collection(nameof(LoadRunnerMeterTests))]
public class LoadRunnerMeterTests
{
    [Fact]
    public async Task Cpu_of_the_window_is_the_clock_difference_between_its_opening_and_its_closing()
    {
        var readings = new Queue<TimeSpan>([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.75)]);
        var result = await LoadRunner.RunAsync(2, TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), async (_, _) =>
        {
            await Task.Delay(1);
            return null;
        }, () => readings.Dequeue(), CancellationToken.None);

        Assert.Empty(readings);
        Assert.Equal(TimeSpan.FromSeconds(0.75), result.Cpu);
        Assert.True(result.Completed > 0);
        Assert.Equal(750.0 / result.Completed, result.CpuMsPerOperation, 9);
        Assert.NotNull(result.Allocated);
        Assert.True(result.Allocated > 0, "the operations' tasks allocate");
    }

    [Fact]
    public async Task Without_a_clock_nothing_is_measured()
    {
        var result = await LoadRunner.RunAsync(1, TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), async (_, _) =>
        {
            await Task.Yield();
            return null;
        }, null, CancellationToken.None);

        Assert.Null(result.Cpu);
        Assert.Null(result.Allocated);
        Assert.True(double.IsNaN(result.CpuMsPerOperation));
        Assert.True(double.IsNaN(result.AllocatedKbPerOperation));
    }

    [Fact]
    public void Per_operation_figures_divide_by_successful_operations_only()
    {
        var result = new LoadResult(4, 6, TimeSpan.FromSeconds(1), new Latencies([1.0]), new Dictionary<string, int>(), TimeSpan.FromMilliseconds(10), 8192);
        Assert.Equal(2.5, result.CpuMsPerOperation);
        Assert.Equal(2.0, result.AllocatedKbPerOperation);
        Assert.True(double.IsNaN((result with { Completed = 0 }).CpuMsPerOperation));
    }
}
