using System.Globalization;
using BudgetActors.Domain;
using NodaTime;

namespace BudgetActors.Grains.Alerts;

/// <summary>The sentence an alert says, for people: which budget, what happened, with the figures.</summary>
public static class AlertWording
{
    public static string Of(AlertFact fact, BudgetDefinition budget)
    {
        var limit = fact.Limit is { } l ? Figure(l, fact.Metric) : "no";
        var used = $"{Figure(fact.Spent, fact.Metric)} of {limit}";
        var period = budget.Period.Type.ToString().ToLowerInvariant();
        return fact.Kind switch
        {
            AlertFactKind.Threshold =>
                $"{budget.Id} reached {Percent(fact.Threshold ?? 0m)} of its {period} {fact.Metric} limit ({used} used, {Percent(fact.Utilization)}).",
            AlertFactKind.State =>
                $"{budget.Id} is now {fact.State.ToString().ToLowerInvariant()}: {used} {fact.Metric} used this {period} period ({Percent(fact.Utilization)}).",
            _ =>
                $"At this rate {budget.Id} passes its {period} {fact.Metric} limit of {limit} on the {DayOfMonth(fact.OverrunAt!.Value, budget.Period.TimeZone)} " +
                $"({Local(fact.OverrunAt.Value, budget.Period.TimeZone)}) and ends the period at {Figure(fact.ProjectedAtEnd ?? fact.Spent, fact.Metric)} " +
                $"({Figure(fact.Spent, fact.Metric)} so far).",
        };
    }

    private static string Figure(decimal value, string metric) =>
        metric == "cost" ? value.ToString("#,0.00####", CultureInfo.InvariantCulture) : value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>The day of the month in the budget's zone, as people say it: "24th", "1st", "22nd", "13th".</summary>
    private static string DayOfMonth(DateTimeOffset instant, string timeZone)
    {
        var day = Instant.FromDateTimeOffset(instant).InZone(DateTimeZoneProviders.Tzdb[timeZone]).Day;
        var suffix = (day % 100) is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return day.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>A time as people of the budget's zone read it: "2026-12-24 13:00 Europe/Paris".</summary>
    private static string Local(DateTimeOffset instant, string timeZone) =>
        Instant.FromDateTimeOffset(instant).InZone(DateTimeZoneProviders.Tzdb[timeZone])
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + timeZone;
}
