namespace Firecrest.Bench;

/// <summary>
/// The two loads an item compares within one round, in turn: odd rounds run the first one first, even rounds the second
/// one first, so whatever the first load of a round leaves behind (heap, tiered code, the machine's drift over the round)
/// falls on each side in turn.
/// </summary>
public static class LoadsInTurn
{
    /// <summary>Runs <paramref name="first"/> and <paramref name="second"/> in the order of <paramref name="round"/>; the results in the order given.</summary>
    public static async Task<(LoadResult First, LoadResult Second)> RunAsync(int round, Func<Task<LoadResult>> first, Func<Task<LoadResult>> second)
    {
        if (round % 2 == 1)
        {
            var a = await first();
            return (a, await second());
        }
        var b = await second();
        return (await first(), b);
    }
}
