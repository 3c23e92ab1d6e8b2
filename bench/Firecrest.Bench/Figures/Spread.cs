using System.Globalization;

namespace Firecrest.Bench.Figures;

/// <summary>The median of a figure over the rounds of a run, with the smallest and largest round.</summary>
/// <param name="Median">Middle value (mean of the two middle values for an even count).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Count">Number of values (rounds).</param>
public sealed record Spread(double Median, double Min, double Max, int Count)
{
    /// <summary>Max − Min: how far the rounds of one run fell apart.</summary>
    public double Width => Max - Min;

    /// <summary>The spread of the finite values of <paramref name="values"/>; null when there is none.</summary>
    public static Spread? Of(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return null;
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted.Length);
    }

    /// <summary><c>median unit</c>, followed by <c>(min–max)</c> when there is more than one round.</summary>
    public string Format(string format, string unit = "") =>
        Count > 1 && Width > 0
            ? $"{Num(Median, format)}{unit} ({Num(Min, format)}–{Num(Max, format)})"
            : Num(Median, format) + unit;

    private static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
