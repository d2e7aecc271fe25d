namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Takes the top off lone spikes before the models see the days, so that one exceptional day (a
/// runaway batch, a test that looped) is not repeated every week by seasonal-naive nor lifts the level
/// of the others for weeks. A day is a spike when it is more than <see cref="Threshold"/> robust
/// deviations above the median of the same weekday in the three weeks either side of it, and neither
/// neighbouring day is also well above its own: a run of high days is a change, and is kept. Spikes are
/// cut down to that threshold, not removed. Low days (holidays) are kept as they are. The backtest
/// still scores the models against the days as they were, so a spike widens the band, not the median.
/// Spikes are exceptions: with more than one day in four weeks like that, spend simply comes in bursts
/// (a batch on scattered days), and nothing is clipped.
/// </summary>
internal static class Spikes
{
    /// <summary>How many robust standard deviations (1.4826 × the median absolute deviation) above its weekday a spike is.</summary>
    public const double Threshold = 4.0;

    /// <summary>The least deviation counted, as a share of the median day (the mean when most days are zero), so that a flat series' zero spread does not make every bump a spike.</summary>
    public const double MinimumSpread = 0.05;

    private const int Weeks = 3;

    public static double[] Clip(IReadOnlyList<double> y)
    {
        var n = y.Count;
        var clipped = y.ToArray();
        var reference = new double[n];
        var deviation = new double[n];
        var known = new bool[n];
        var spread = new List<double>(n);
        var refs = new List<double>(2 * Weeks);
        for (var t = 0; t < n; t++)
        {
            refs.Clear();
            for (var k = 1; k <= Weeks; k++)
            {
                if (t - 7 * k >= 0) refs.Add(y[t - 7 * k]);
                if (t + 7 * k < n) refs.Add(y[t + 7 * k]);
            }

            if (refs.Count > 0)
            {
                reference[t] = Median(refs);
                deviation[t] = y[t] - reference[t];
                known[t] = true;
                spread.Add(Math.Abs(deviation[t]));
            }
        }

        if (spread.Count == 0)
        {
            return clipped;
        }

        // The typical day is the median, which a spike does not move; the mean when most days are zero.
        var median = Median(y.ToList());
        var scale = Math.Max(1.4826 * Median(spread), MinimumSpread * (median > 0 ? median : y.Average()));
        var limit = Threshold * scale;
        var spikes = Enumerable.Range(0, n).Where(t => known[t] && deviation[t] > limit && !High(t - 1) && !High(t + 1)).ToList();
        if (spikes.Count > (n + 27) / 28)
        {
            return clipped; // exceptions this common are the pattern (spend on scattered days), not spikes
        }

        foreach (var t in spikes)
        {
            clipped[t] = reference[t] + limit;
        }

        return clipped;

        bool High(int i) => i >= 0 && i < n && known[i] && deviation[i] > limit / 2;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
