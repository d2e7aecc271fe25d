namespace BudgetActors.Domain.Forecasting;

/// <summary>Each day as the same weekday of the last week: the benchmark every other method must beat.</summary>
internal sealed class SeasonalNaive : IDailyModel
{
    public static readonly SeasonalNaive Instance = new();

    public string Method => ForecastMethods.SeasonalNaive;

    public int MinimumHistory => 7;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var n = history.Length;
        var forecast = new double[horizon];
        for (var h = 1; h <= horizon; h++)
        {
            forecast[h - 1] = history[n - 7 + (h - 1) % 7];
        }

        return forecast;
    }
}
