using System.Globalization;
using NodaTime;

namespace BudgetActors.Domain;

/// <summary>
/// Words a budget's answer for people (<see cref="BudgetReason"/>): the figures of the metric that
/// decided, in the tenant's currency for money, and when it clears, in the budget's time zone.
/// </summary>
public static class ReasonWording
{
    public static BudgetReason Of(BudgetFacts facts, Admission admission, Tally used, Amount requested, DateTimeOffset? now)
    {
        var definition = facts.Definition;
        var metric = admission.Metric.StartsWith("perRequest.", StringComparison.Ordinal) ? admission.Metric["perRequest.".Length..] : admission.Metric;
        var (spent, reserved, asked) = metric switch
        {
            "tokens" => (facts.Spent.Tokens, facts.Reserved.Tokens, (decimal)requested.Tokens),
            "operations" => (facts.Spent.Operations, facts.Reserved.Operations, (decimal)requested.Operations),
            _ => (facts.Spent.Cost, facts.Reserved.Cost, requested.Cost),
        };
        var period = PeriodName(definition.Period);
        var limit = admission.Limit;
        var resets = facts.Period.End;
        var id = definition.Id;
        string Figure(decimal value, string metric) => ReasonWording.Figure(value, metric, facts.Currency);
        var figures = $"{Figure(spent, metric)} spent" + (reserved > 0m ? $" + {Figure(reserved, metric)} reserved" : "") + $" + {Figure(asked, metric)} requested";
        var limitText = limit is { } l ? $"the {period}{metric} limit of {Figure(l, metric)}" : $"its {period}{metric}";
        var message = admission.Cause switch
        {
            AdmissionCause.PerRequestCap =>
                $"{id}: this request asks for {Figure(asked, metric)} {metric}, more than the {Figure(limit ?? 0m, metric)} one request may ask for.",
            AdmissionCause.Grace =>
                $"{id}: {figures} passes {limitText}; admitted in its {GraceMark} until {Local(facts.GraceEnd ?? now?.AddMinutes(definition.Policy.GracePeriodMinutes), definition)}.",
            AdmissionCause.Bypass =>
                $"{id}: {figures} passes {limitText}; admitted for its priority, within the emergency ceiling of {Figure((limit ?? 0m) * (definition.Policy.EmergencyCeiling ?? 1m), metric)}.",
            _ => admission.Decision switch
            {
                Decision.Block => $"{id}: {figures} passes {limitText}{Resets(resets, definition)}.",
                Decision.Throttle => $"{id}: {figures} comes to {Percent(used, requested, definition)} of {limitText}: throttled to {Percent(admission.ThrottleFactor ?? 0m)} of normal capacity{Resets(resets, definition)}.",
                Decision.Downgrade => $"{id}: {figures} comes to {Percent(used, requested, definition)} of {limitText}: use {admission.DowngradeTo} instead{Resets(resets, definition)}.",
                _ => $"{id}: {figures} comes to {Percent(used, requested, definition)} of {limitText}{Resets(resets, definition)}.",
            },
        };

        var retryAfter = admission.Cause == AdmissionCause.PerRequestCap ? null : InZone(resets, definition);
        return new BudgetReason(id, admission.Decision, admission.Metric, limit, spent, reserved, asked, retryAfter, message);
    }

    /// <summary>A refusal by a rate limit: <paramref name="used"/> of <paramref name="limit"/> in the current minute, the next fitting at <paramref name="retryAfter"/>.</summary>
    public static BudgetReason Rate(BudgetDefinition definition, string metric, decimal limit, decimal used, decimal requested, DateTimeOffset? retryAfter) =>
        new(definition.Id, Decision.Block, metric, limit, used, 0m, requested, InZone(retryAfter, definition),
            retryAfter is { } at
                ? $"{definition.Id}: {Figure(used, "tokens")} of {Figure(limit, "tokens")} {Unit(metric)} in the last minute; this request fits again at {Local(at, definition, seconds: true)}."
                : $"{definition.Id}: this request asks for {Figure(requested, "tokens")} {Unit(metric)}, more than the {Figure(limit, "tokens")} a minute allows.");

    /// <summary>An instant with the offset of the budget's time zone at that instant (what people of that zone read).</summary>
    private static DateTimeOffset? InZone(DateTimeOffset? instant, BudgetDefinition definition) =>
        instant is { } at ? Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[definition.Period.TimeZone]).ToDateTimeOffset() : null;

    /// <summary>The word the grace's reasons carry.</summary>
    public const string GraceMark = "grace period";

    private static string Unit(string metric) => metric == "requestsPerMinute" ? "requests" : "tokens";

    private static string PeriodName(PeriodSpec period) => period.Type switch
    {
        PeriodType.Total => "",
        PeriodType.Custom => "period's ",
        PeriodType.Rolling => "rolling ",
        _ => period.Type.ToString().ToLowerInvariant() + " ",
    };

    private static string Resets(DateTimeOffset? end, BudgetDefinition definition) =>
        end is { } at ? $" (resets {Local(at, definition)})" : definition.Period.Type == PeriodType.Total ? " (a total budget: it does not reset)" : "";

    private static string Percent(Tally used, Amount requested, BudgetDefinition definition) =>
        Percent(AdmissionRule.Utilization(used + requested, definition.Limits));

    private static string Percent(decimal fraction) => (fraction * 100m).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>
    /// A figure of the metric: money with two to six places, followed by the tenant's currency code
    /// unless it is USD (the catalog's currency, and the form of API.md's example: "6.50"; "6.50 EUR"); counts whole.
    /// </summary>
    private static string Figure(decimal value, string metric, string? currency = null) =>
        metric == "cost"
            ? value.ToString("0.00####", CultureInfo.InvariantCulture) + (currency is null or "USD" ? "" : " " + currency)
            : value.ToString("0", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset? instant, BudgetDefinition definition, bool seconds = false) =>
        instant is not { } at ? "unknown" :
        Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[definition.Period.TimeZone])
            .ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + definition.Period.TimeZone;
}
