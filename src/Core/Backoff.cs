namespace Firecrest.Core;

/// <summary>
/// The one backoff policy of the project: <see cref="Initial"/> × <see cref="Factor"/>^attempt, never more than
/// <see cref="Max"/>, then scaled by a random factor in [1 − <see cref="Jitter"/>, 1] (0: no randomness; 0.5: the
/// upper half of the capped delay, so that clients retrying together spread out).
/// </summary>
public sealed record Backoff
{
    /// <summary>Creates a policy; a <paramref name="max"/> below <paramref name="initial"/> is raised to it.</summary>
    public Backoff(TimeSpan initial, TimeSpan max, double factor = 2, double jitter = 0)
    {
        if (factor < 1 || double.IsNaN(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be at least 1.");
        if (jitter is < 0 or > 1 || double.IsNaN(jitter)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be between 0 and 1.");
        Initial = initial < TimeSpan.Zero ? TimeSpan.Zero : initial;
        Max = max < Initial ? Initial : max;
        Factor = factor;
        Jitter = jitter;
    }

    /// <summary>Delay before the first retry or poll (before jitter).</summary>
    public TimeSpan Initial { get; }

    /// <summary>Cap of the delay (before jitter).</summary>
    public TimeSpan Max { get; }

    /// <summary>Growth per attempt (1: a constant delay).</summary>
    public double Factor { get; }

    /// <summary>Share of the delay that is random (0 to 1).</summary>
    public double Jitter { get; }

    /// <summary>The delay before attempt number <paramref name="attempt"/> (0 for the first) with the shared random source.</summary>
    public TimeSpan Delay(int attempt, Random? random = null) => Delay(attempt, Jitter == 0 ? 1 : (random ?? Random.Shared).NextDouble());

    /// <summary>The delay before attempt number <paramref name="attempt"/> (0 for the first) with the random sample <paramref name="sample"/> in [0, 1].</summary>
    public TimeSpan Delay(int attempt, double sample)
    {
        var grown = Initial.TotalMilliseconds * Math.Pow(Factor, Math.Clamp(attempt, 0, 1000));
        var capped = double.IsFinite(grown) ? Math.Min(grown, Max.TotalMilliseconds) : Max.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(capped * (1 - Jitter + Jitter * Math.Clamp(sample, 0, 1)));
    }
}
