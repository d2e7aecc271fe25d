namespace BudgetActors.Domain.Forecasting;

/// <summary>Every day at the mean of the days so far: all that under a week of history supports.</summary>
internal sealed class RunRate : IDailyModel
{
    public static readonly RunRate Instance = new();

    public string Method => ForecastMethods.RunRate;

    public int MinimumHistory => 1;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var mean = 0.0;
        foreach (var y in history)
        {
            mean += y;
        }

        mean /= history.Length;
        return Enumerable.Repeat(mean, horizon).ToArray();
    }
}
