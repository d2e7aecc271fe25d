namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// How far the 10th and 90th percentiles of spend at the period's end lie from the median, as a
/// function of the days left. From a backtest: the cumulative error of the chosen method after m days
/// (actual minus forecast, summed over the first m days from each origin) has a root mean square s(m)
/// per horizon; the band fits s(m) = σ·m^k to them (least squares on the logarithms, weighted by the
/// origins behind each m), with k held between ½ (independent daily errors) and 1 (an error that stays
/// the same every day, as a shift of level does), and is ±z·σ·D^k over D days, z = 1.2816 (the normal
/// 10 % / 90 % quantile). Without a backtest (under a week of history): the days' sample standard
/// deviation s, as for a mean of n days forecast over D: ±z·s·√(D + D²/n).
/// </summary>
internal sealed record ForecastBand(double Sigma, double Exponent, int SampleDays)
{
    public const double Z = 1.2815515655446004;

    public static readonly ForecastBand None = new(0.0, 0.5, 0);

    public double HalfWidth(double days) =>
        days <= 0 ? 0.0
        : SampleDays > 0 ? Z * Sigma * Math.Sqrt(days + days * days / SampleDays)
        : Z * Sigma * Math.Pow(days, Exponent);

    public static ForecastBand FromSpread(IReadOnlyList<double> days)
    {
        var n = days.Count;
        if (n < 2)
        {
            return None;
        }

        var mean = days.Average();
        var variance = days.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        return new ForecastBand(Math.Sqrt(variance), 0.5, n);
    }

    /// <param name="errors">Per origin, actual minus forecast for each day after it.</param>
    public static ForecastBand FromBacktest(IReadOnlyList<double[]> errors)
    {
        var longest = errors.Count == 0 ? 0 : errors.Max(e => e.Length);
        var sumOfSquares = new double[longest + 1];
        var count = new int[longest + 1];
        foreach (var origin in errors)
        {
            var cumulative = 0.0;
            for (var m = 1; m <= origin.Length; m++)
            {
                cumulative += origin[m - 1];
                sumOfSquares[m] += cumulative * cumulative;
                count[m]++;
            }
        }

        var points = new List<(double LogM, double LogS, double Weight)>();
        for (var m = 1; m <= longest; m++)
        {
            if (count[m] > 0 && sumOfSquares[m] > 0)
            {
                points.Add((Math.Log(m), 0.5 * Math.Log(sumOfSquares[m] / count[m]), count[m]));
            }
        }

        if (points.Count == 0)
        {
            return None; // the method was exact on every day it was tried on
        }

        var exponent = 0.5;
        var weight = points.Sum(p => p.Weight);
        var meanX = points.Sum(p => p.Weight * p.LogM) / weight;
        var meanY = points.Sum(p => p.Weight * p.LogS) / weight;
        var sxx = points.Sum(p => p.Weight * (p.LogM - meanX) * (p.LogM - meanX));
        if (sxx > 0)
        {
            var sxy = points.Sum(p => p.Weight * (p.LogM - meanX) * (p.LogS - meanY));
            exponent = Math.Clamp(sxy / sxx, 0.5, 1.0);
        }

        var logSigma = points.Sum(p => p.Weight * (p.LogS - exponent * p.LogM)) / weight;
        return new ForecastBand(Math.Exp(logSigma), exponent, 0);
    }
}
