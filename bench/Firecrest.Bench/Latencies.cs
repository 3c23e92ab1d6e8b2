namespace Firecrest.Bench;

/// <summary>Latency samples in milliseconds with their percentiles.</summary>
public sealed class Latencies
{
    private readonly double[] _sorted;

    /// <summary>Sorts a copy of <paramref name="samplesMs"/>.</summary>
    public Latencies(IEnumerable<double> samplesMs)
    {
        _sorted = samplesMs.ToArray();
        Array.Sort(_sorted);
    }

    /// <summary>Number of samples.</summary>
    public int Count => _sorted.Length;

    /// <summary>Percentile <paramref name="p"/> (0..100), nearest rank; NaN without samples.</summary>
    public double P(double p)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>Median.</summary>
    public double P50 => P(50);

    /// <summary>99th percentile.</summary>
    public double P99 => P(99);
}
