namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Whether daily spend is rising, flat or falling: the slope of a straight line fitted by least
/// squares to the last <see cref="Window"/> days (with a fixed effect per weekday, so that where the
/// weekend falls does not tilt it; a plain line under two weeks of history), per week, relative to the
/// mean day of the same days. Rising or falling when it moves by more than <see cref="PerWeek"/> of
/// the mean a week and the slope is at least <see cref="Clarity"/> standard errors from zero (so that
/// noise alone rarely reads as a trend); flat otherwise.
/// </summary>
internal static class TrendOf
{
    public const int Window = 14;

    /// <summary>5 % of the mean day per week.</summary>
    public const double PerWeek = 0.05;

    public const double Clarity = 2.0;

    public static ForecastTrend Classify(IReadOnlyList<double> days)
    {
        var window = days.Skip(Math.Max(0, days.Count - Window)).ToArray();
        var mean = window.Length == 0 ? 0 : window.Average();
        if (mean <= 0 || LinearWeekday.Fit(window, weekdays: window.Length >= Window) is not { } fit)
        {
            return ForecastTrend.Flat;
        }

        var weekly = 7 * fit.Slope / mean;
        var clear = Math.Abs(fit.Slope) >= Clarity * fit.SlopeError;
        return !clear || Math.Abs(weekly) <= PerWeek ? ForecastTrend.Flat
            : weekly > 0 ? ForecastTrend.Rising
            : ForecastTrend.Falling;
    }
}
