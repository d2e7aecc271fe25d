namespace BudgetActors.Domain.Forecasting;

/// <summary>The names a <see cref="Forecast"/> gives for the method behind it.</summary>
public static class ForecastMethods
{
    /// <summary>The mean of the complete days so far, every day alike (under a week of history).</summary>
    public const string RunRate = "run-rate";

    /// <summary>Each weekday as it was a week before.</summary>
    public const string SeasonalNaive = "seasonal-naive";

    /// <summary>A straight line plus a fixed effect per weekday, fitted by least squares.</summary>
    public const string LinearWeekday = "linear-weekday";

    /// <summary>Damped additive Holt-Winters exponential smoothing with a weekly season.</summary>
    public const string HoltWinters = "holt-winters-damped";
}
