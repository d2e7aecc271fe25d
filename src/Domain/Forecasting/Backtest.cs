namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// The rolling-origin backtest that chooses among the methods: from each day of the last
/// <see cref="Days"/> (each an origin), a method is trained on the days before it and forecasts the
/// days from it on, up to the horizon asked for or the last day there is, and its forecasts are
/// compared with what was spent. Methods compete on the same origins and are ranked by mean absolute
/// error per day (zero days are common, so percentage errors are reported, not chosen on).
/// </summary>
internal static class Backtest
{
    /// <summary>Origins over the last three weeks.</summary>
    public const int Days = 21;

    /// <summary>A method competes only with at least a week of origins after its minimum history.</summary>
    public const int MinimumOrigins = 7;

    private static readonly IDailyModel[] Candidates = [SeasonalNaive.Instance, LinearWeekday.Instance, HoltWinters.Instance];

    /// <param name="Errors">Per origin, actual minus forecast, day by day.</param>
    public sealed record Trial(IDailyModel Model, IReadOnlyList<double[]> Errors, MethodScore Score);

    /// <summary>The trials of every method that can compete on this history, seasonal-naive first.</summary>
    /// <param name="actual">The days as they were, to score against.</param>
    /// <param name="cleaned">The same days with spikes clipped, to train on.</param>
    public static IReadOnlyList<Trial> Run(double[] actual, double[] cleaned, int horizon)
    {
        var n = actual.Length;
        var contestants = Candidates.Where(c => c == SeasonalNaive.Instance || c.MinimumHistory <= n - MinimumOrigins).ToList();
        var first = Math.Max(n - Days, contestants.Max(c => c.MinimumHistory));
        var trials = new List<Trial>(contestants.Count);
        foreach (var model in contestants)
        {
            var errors = new List<double[]>();
            var pairs = new List<(double Actual, double Predicted)>();
            for (var origin = first; origin < n; origin++)
            {
                var length = Math.Min(horizon, n - origin);
                var forecast = model.Forecast(cleaned.AsSpan(0, origin), length);
                var e = new double[length];
                for (var h = 0; h < length; h++)
                {
                    var predicted = Math.Max(0.0, forecast[h]);
                    e[h] = actual[origin + h] - predicted;
                    pairs.Add((actual[origin + h], predicted));
                }

                errors.Add(e);
            }

            trials.Add(new Trial(model, errors, Score(model.Method, pairs)));
        }

        return trials;
    }

    /// <summary>The trial with the least mean absolute error; seasonal-naive unless another does strictly better.</summary>
    public static Trial Choose(IReadOnlyList<Trial> trials)
    {
        var best = trials[0];
        foreach (var trial in trials.Skip(1))
        {
            if (trial.Score.Points > 0 && trial.Score.Mae < best.Score.Mae)
            {
                best = trial;
            }
        }

        return best;
    }

    private static MethodScore Score(string method, List<(double Actual, double Predicted)> pairs)
    {
        if (pairs.Count == 0)
        {
            return new MethodScore(method, 0m, 0m, null, 0);
        }

        var mae = pairs.Average(p => Math.Abs(p.Actual - p.Predicted));
        var smape = pairs.Average(p => p.Actual == 0 && p.Predicted == 0 ? 0.0 : 200.0 * Math.Abs(p.Actual - p.Predicted) / (Math.Abs(p.Actual) + Math.Abs(p.Predicted)));
        var nonZero = pairs.Where(p => p.Actual != 0).ToList();
        decimal? mape = nonZero.Count == 0 ? null : Amounts.Round(nonZero.Average(p => 100.0 * Math.Abs(p.Actual - p.Predicted) / Math.Abs(p.Actual)));
        return new MethodScore(method, Amounts.Round(mae), Amounts.Round(smape), mape, pairs.Count);
    }
}
