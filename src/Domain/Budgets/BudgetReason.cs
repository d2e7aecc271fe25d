namespace BudgetActors;

/// <summary>
/// Why one budget did not simply allow a request: what decided it, with the figures, when it can
/// first clear by itself, and a sentence saying so. Answers carry one per budget that is not plain
/// <c>allow</c>, most restrictive first.
/// </summary>
/// <param name="Metric">
/// What decided: <c>cost</c>, <c>tokens</c> or <c>operations</c> (the budget's limit),
/// <c>perRequest.cost</c> / <c>perRequest.tokens</c> / <c>perRequest.operations</c> (a cap on one
/// request), <c>requestsPerMinute</c> / <c>tokensPerMinute</c> (a rate limit).
/// </param>
/// <param name="Limit">The limit of that metric in force (the cap, the rate), null when the metric has none.</param>
/// <param name="Spent">Spent this period of that metric (for a rate limit: used in the current minute).</param>
/// <param name="RetryAfter">When the refusal can first clear by itself: the period's end, the rate window, the end of a grace period; null when nothing clears it (a total budget, a request over its cap).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetReason")]
public sealed record BudgetReason(
    [property: Id(0)] string Budget,
    [property: Id(1)] Decision Decision,
    [property: Id(2)] string Metric,
    [property: Id(3)] decimal? Limit,
    [property: Id(4)] decimal Spent,
    [property: Id(5)] decimal Reserved,
    [property: Id(6)] decimal Requested,
    [property: Id(7)] DateTimeOffset? RetryAfter,
    [property: Id(8)] string Message);
