using System.Globalization;
using System.Text;

namespace BudgetActors.Domain.Reports;

/// <summary>
/// A mergeable quantile sketch of non-negative costs (DDSketch, Masson et al., VLDB 2019) with a
/// relative accuracy of <see cref="RelativeAccuracy"/>: every quantile it answers is within 1 % of
/// the true value of that rank (the element of rank ⌊q·(n−1)⌋, counting from 0, among the values
/// added). Values fall in log-spaced buckets — bucket i holds (γ^(i−1), γ^i] with
/// γ = (1+α)/(1−α) — whose estimate 2γ^i/(γ+1) is within α of anything in it; zero has a count of
/// its own. Merging adds bucket counts, so days and groups merge exactly as if the values had been
/// added to one sketch. Costs lie between 10^-6 and 10^12 (one request's bound), so a sketch has at
/// most about 2,100 buckets, and in practice a few hundred.
/// <para>
/// The logarithm is taken in double: quantiles are estimates with a stated error, never money that
/// is added up, and the answer is rounded to micro-units and kept within the exact min and max.
/// </para>
/// </summary>
public sealed class QuantileSketch
{
    public const double RelativeAccuracy = 0.01;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly SortedDictionary<int, long> _buckets = [];

    /// <summary>Values added (zeros included).</summary>
    public long Count { get; private set; }

    public long Zeros { get; private set; }

    public int BucketCount => _buckets.Count;

    public void Add(decimal value, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (value == 0m)
        {
            Zeros += count;
        }
        else
        {
            var index = IndexOf(value);
            _buckets[index] = _buckets.GetValueOrDefault(index) + count;
        }

        Count += count;
    }

    public void Merge(QuantileSketch other)
    {
        foreach (var (index, count) in other._buckets)
        {
            _buckets[index] = _buckets.GetValueOrDefault(index) + count;
        }

        Zeros += other.Zeros;
        Count += other.Count;
    }

    public QuantileSketch Copy()
    {
        var copy = new QuantileSketch();
        copy.Merge(this);
        return copy;
    }

    /// <summary>The estimate of the <paramref name="q"/>-quantile (0 ≤ q ≤ 1), unrounded; null when empty.</summary>
    public decimal? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count == 0)
        {
            return null;
        }

        var rank = q * (Count - 1);
        if (Zeros > rank)
        {
            return 0m;
        }

        var seen = (double)Zeros;
        foreach (var (index, count) in _buckets)
        {
            seen += count;
            if (seen > rank)
            {
                return ValueOf(index);
            }
        }

        return ValueOf(_buckets.Keys.Last());
    }

    /// <summary>The bucket of a positive value: the smallest i with value ≤ γ^i.</summary>
    public static int IndexOf(decimal value) => (int)Math.Ceiling(Math.Log((double)value) / LogGamma);

    /// <summary>The estimate for bucket i: within α of every value in (γ^(i−1), γ^i].</summary>
    public static decimal ValueOf(int index) => (decimal)(2 * Math.Pow(Gamma, index) / (Gamma + 1));

    /// <summary>The sketch as stored: "zeros;index:count,index:count…" in index order.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Zeros.ToString(CultureInfo.InvariantCulture)).Append(';');
        var first = true;
        foreach (var (index, count) in _buckets)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(index.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <exception cref="FormatException">Not the text of <see cref="ToText"/>.</exception>
    public static QuantileSketch Parse(string text)
    {
        var sketch = new QuantileSketch();
        var parts = text.Split(';');
        if (parts.Length != 2)
        {
            throw new FormatException("A quantile sketch is 'zeros;index:count,…'.");
        }

        var zeros = long.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        if (zeros > 0)
        {
            sketch.Add(0m, zeros);
        }

        if (parts[1].Length > 0)
        {
            foreach (var bucket in parts[1].Split(','))
            {
                var pair = bucket.Split(':');
                var index = int.Parse(pair[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                var count = long.Parse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture);
                sketch._buckets[index] = sketch._buckets.GetValueOrDefault(index) + count;
                sketch.Count += count;
            }
        }

        return sketch;
    }
}
