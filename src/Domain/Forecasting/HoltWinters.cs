namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Damped additive Holt-Winters with a weekly season: a level, a trend that fades by φ a day, and
/// seven additive weekday effects, each updated by exponential smoothing. The smoothing weights and φ
/// are picked from a small grid by the sum of squared one-step errors over the training days (from
/// the second week on, past the start-up values).
/// </summary>
internal sealed class HoltWinters : IDailyModel
{
    public static readonly HoltWinters Instance = new();

    private const int Season = 7;

    private static readonly double[] Alphas = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8];
    private static readonly double[] Betas = [0.01, 0.05, 0.1, 0.2];
    private static readonly double[] Gammas = [0.01, 0.1, 0.2, 0.4];
    private static readonly double[] Phis = [0.8, 0.9, 0.98];

    public string Method => ForecastMethods.HoltWinters;

    /// <summary>Two weeks, for the start-up level, trend and weekday effects.</summary>
    public int MinimumHistory => 2 * Season;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var (alpha, beta, gamma, phi) = Tune(history);
        var forecast = new double[horizon];
        Run(history, StartUp(history), alpha, beta, gamma, phi, double.PositiveInfinity, forecast);
        return forecast;
    }

    /// <summary>The smoothing weights and damping of the grid with the least one-step squared error on <paramref name="history"/>.</summary>
    internal static (double Alpha, double Beta, double Gamma, double Phi) Tune(ReadOnlySpan<double> history)
    {
        var start = StartUp(history);
        var best = (Sse: double.PositiveInfinity, Alpha: 0.0, Beta: 0.0, Gamma: 0.0, Phi: 0.0);
        foreach (var alpha in Alphas)
        {
            foreach (var beta in Betas)
            {
                if (beta > alpha)
                {
                    continue; // a trend smoothed faster than its level chases noise
                }

                foreach (var gamma in Gammas)
                {
                    foreach (var phi in Phis)
                    {
                        var sse = Run(history, start, alpha, beta, gamma, phi, best.Sse, null);
                        if (sse < best.Sse)
                        {
                            best = (sse, alpha, beta, gamma, phi);
                        }
                    }
                }
            }
        }

        return (best.Alpha, best.Beta, best.Gamma, best.Phi);
    }

    /// <summary>
    /// Smooths through <paramref name="y"/> from the start-up values; returns the one-step SSE, or stops
    /// as soon as it passes <paramref name="bound"/> (the best of the grid so far: this one cannot win).
    /// Fills <paramref name="forecast"/> when given.
    /// </summary>
    private static double Run(
        ReadOnlySpan<double> y, (double Level, double Trend, double[] Season) start,
        double alpha, double beta, double gamma, double phi, double bound, double[]? forecast)
    {
        var n = y.Length;
        var (level, trend) = (start.Level, start.Trend);
        Span<double> season = stackalloc double[Season];
        start.Season.CopyTo(season);
        var sse = 0.0;
        for (int t = 0, d = 0; t < n; t++, d = d == Season - 1 ? 0 : d + 1)
        {
            var s = season[d];
            if (t >= Season)
            {
                var error = y[t] - (level + phi * trend + s);
                sse += error * error;
                if (sse > bound)
                {
                    return sse;
                }
            }

            var newLevel = alpha * (y[t] - s) + (1 - alpha) * (level + phi * trend);
            trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
            level = newLevel;
            season[d] = gamma * (y[t] - level) + (1 - gamma) * s;
        }

        if (forecast is not null)
        {
            var damped = 0.0;
            var power = 1.0;
            for (var h = 1; h <= forecast.Length; h++)
            {
                power *= phi;
                damped += power;
                forecast[h - 1] = level + damped * trend + season[(n + h - 1) % Season];
            }
        }

        return sse;
    }

    /// <summary>
    /// Start-up values from the first two weeks: the trend from the change of their means, the level
    /// as it stood the day before the first (each mean sits mid-week), the weekday effects as the mean
    /// of the two weeks' deviations from their own means, less the trend within the week.
    /// </summary>
    private static (double Level, double Trend, double[] Season) StartUp(ReadOnlySpan<double> y)
    {
        double first = 0, second = 0;
        for (var i = 0; i < Season; i++)
        {
            first += y[i];
            second += y[i + Season];
        }

        first /= Season;
        second /= Season;
        var trend = (second - first) / Season;
        var season = new double[Season];
        for (var i = 0; i < Season; i++)
        {
            season[i] = ((y[i] - first) + (y[i + Season] - second)) / 2 - (i - (Season - 1) / 2.0) * trend;
        }

        return (first - (Season + 1) / 2.0 * trend, trend, season);
    }
}
