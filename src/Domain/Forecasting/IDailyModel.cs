namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// A way of forecasting daily spend: trained on consecutive days (oldest first, every seventh the same
/// weekday), it forecasts the days after them. Forecasts may be negative here; the caller clamps.
/// </summary>
internal interface IDailyModel
{
    string Method { get; }

    /// <summary>The fewest days it can be trained on.</summary>
    int MinimumHistory { get; }

    /// <summary>Forecasts of the <paramref name="horizon"/> days that follow <paramref name="history"/>.</summary>
    double[] Forecast(ReadOnlySpan<double> history, int horizon);
}
