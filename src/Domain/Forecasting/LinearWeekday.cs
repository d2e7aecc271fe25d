namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// A straight line plus one fixed effect per weekday, fitted by least squares to the last
/// <see cref="Window"/> days: enough days for its eight coefficients, recent enough to follow a change.
/// </summary>
internal sealed class LinearWeekday : IDailyModel
{
    public static readonly LinearWeekday Instance = new();

    /// <summary>Four weeks: twenty degrees of freedom over the eight coefficients.</summary>
    public const int Window = 28;

    public string Method => ForecastMethods.LinearWeekday;

    /// <summary>Two of each weekday.</summary>
    public int MinimumHistory => 14;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var window = history[Math.Max(0, history.Length - Window)..];
        var forecast = new double[horizon];
        if (Fit(window, weekdays: true) is not { } fit)
        {
            // Collinear only if the window were shorter than a week and a day; the minimum rules it out.
            return SeasonalNaive.Instance.Forecast(history, horizon);
        }

        for (var h = 1; h <= horizon; h++)
        {
            forecast[h - 1] = Predict(fit.Beta, window.Length - 1 + h, fit.Centre, weekdays: true);
        }

        return forecast;
    }

    /// <summary>The fitted line (with weekday effects when asked) and the standard error of its slope.</summary>
    /// <returns>Null when the days do not determine the coefficients.</returns>
    public static (double[] Beta, double Centre, double Slope, double SlopeError)? Fit(ReadOnlySpan<double> days, bool weekdays)
    {
        var n = days.Length;
        var centre = (n - 1) / 2.0;
        var x = new double[n][];
        var y = new double[n];
        for (var t = 0; t < n; t++)
        {
            x[t] = Row(t, centre, weekdays);
            y[t] = days[t];
        }

        if (n < x[0].Length || LeastSquares.Fit(x, y) is not { } fit)
        {
            return null;
        }

        return (fit.Beta, centre, fit.Beta[1], Math.Sqrt(Math.Max(0.0, fit.ResidualVariance * fit.Inverse[1, 1])));
    }

    private static double Predict(double[] beta, int t, double centre, bool weekdays)
    {
        var row = Row(t, centre, weekdays);
        var value = 0.0;
        for (var i = 0; i < row.Length; i++)
        {
            value += row[i] * beta[i];
        }

        return value;
    }

    // Intercept, centred time, and weekdays 1–6 of the window against weekday 0.
    private static double[] Row(int t, double centre, bool weekdays)
    {
        var row = new double[weekdays ? 8 : 2];
        row[0] = 1.0;
        row[1] = t - centre;
        if (weekdays && t % 7 != 0)
        {
            row[1 + t % 7] = 1.0;
        }

        return row;
    }
}
