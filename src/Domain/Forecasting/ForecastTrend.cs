namespace BudgetActors.Domain.Forecasting;

/// <summary>Where daily spend is heading (see <see cref="Forecaster"/> for the definition and threshold).</summary>
[GenerateSerializer, Alias("BudgetActors.ForecastTrend")]
public enum ForecastTrend
{
    Flat,
    Rising,
    Falling,
}
