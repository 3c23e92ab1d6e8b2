using Firecrest.Bench;

namespace Firecrest.Core.Tests.Bench;

public class LoadsInTurnTests
{
    [Theory]
    [InlineData(1, "first,second")]
    [InlineData(2, "second,first")]
    [InlineData(3, "first,second")]
    public async Task Odd_rounds_run_the_first_load_first_and_even_rounds_the_second_and_the_results_keep_their_places(int round, string expectedOrder)
    {
        var order = new List<string>();
        Func<Task<LoadResult>> Load(string name, long completed) => () =>
        {
            order.Add(name);
            return Task.FromResult(new LoadResult(completed, 0, TimeSpan.FromSeconds(1), new Latencies([]), new Dictionary<string, int>()));
        };

        var (first, second) = await LoadsInTurn.RunAsync(round, Load("first", 1), Load("second", 2));

        Assert.Equal(expectedOrder, string.Join(',', order));
        Assert.Equal((1L, 2L), (first.Completed, second.Completed));
    }
}
