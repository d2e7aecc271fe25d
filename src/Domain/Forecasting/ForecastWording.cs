using System.Globalization;
using NodaTime;

namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// The recommendation: one plain sentence out of the forecast's numbers. Cost reads with 2 decimals,
/// counts (tokens, operations) as whole numbers with their unit. The rate that "would keep it within"
/// is what is left of the limit over the days left, rounded down, so that keeping to it does.
/// </summary>
internal static class ForecastWording
{
    /// <param name="days">Days left in the period (fractional).</param>
    /// <param name="overrunDate">The local day of the overrun, with the days until it.</param>
    public static string Recommend(
        string budgetId, string metric, decimal? limit, decimal spent, PredictedSpend predicted, decimal? utilization,
        decimal days, (LocalDate Date, int InDays)? overrunDate)
    {
        if (days <= 0m)
        {
            return limit is { } l0
                ? $"{budgetId}'s period is over: {Amount(metric, spent)} spent of its limit of {Amount(metric, l0)}."
                : $"{budgetId}'s period is over: {Amount(metric, spent)} spent.";
        }

        var rate = (predicted.P50 - spent) / days;
        if (limit is not { } limit1)
        {
            return $"At this rate {budgetId} spends about {Amount(metric, predicted.P50)} by the end of the period ({Amount(metric, rate)} a day); it has no {metric} limit.";
        }

        if (spent > limit1)
        {
            return $"{budgetId} has already passed its limit of {Amount(metric, limit1)} ({Amount(metric, spent)} spent); at this rate it ends the period at about {Amount(metric, predicted.P50)}.";
        }

        var allowed = Down(metric, (limit1 - spent) / days);
        if (overrunDate is { } o)
        {
            var when = o.InDays switch
            {
                0 => "today",
                1 => $"on {Date(o.Date)} (tomorrow)",
                _ => $"on {Date(o.Date)} (in {o.InDays} days)",
            };
            return $"At this rate {budgetId} passes its limit of {Amount(metric, limit1)} {when}; {Amount(metric, allowed)} a day instead of {Amount(metric, rate)} would keep it within.";
        }

        var share = $"{Math.Round((utilization ?? 0m) * 100m, 0, MidpointRounding.ToEven).ToString(CultureInfo.InvariantCulture)}%";
        return predicted.P90 > limit1
            ? $"At this rate {budgetId} ends the period at about {Amount(metric, predicted.P50)} of its limit of {Amount(metric, limit1)} ({share}), but a busier stretch could pass it ({Amount(metric, predicted.P90)} at the 90th percentile); up to {Amount(metric, allowed)} a day keeps it within."
            : $"At this rate {budgetId} ends the period at about {Amount(metric, predicted.P50)} of its limit of {Amount(metric, limit1)} ({share}); it can spend up to {Amount(metric, allowed)} a day and stay within.";
    }

    private static string Amount(string metric, decimal value) =>
        metric == "cost"
            ? value.ToString("0.00", CultureInfo.InvariantCulture)
            : $"{Math.Round(value, 0, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture)} {metric}";

    /// <summary>Rounded down to what <see cref="Amount"/> shows.</summary>
    private static decimal Down(string metric, decimal value)
    {
        var scale = metric == "cost" ? 100m : 1m;
        return Math.Floor(value * scale) / scale;
    }

    private static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
