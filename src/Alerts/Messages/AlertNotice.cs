namespace BudgetActors.Alerts;

/// <summary>
/// One alert as the grains hand it over for delivery: everything every channel says about it. The
/// webhook body carries all of it but <see cref="Currency"/> and <see cref="Metric"/>, which the
/// human-readable messages use to word the amounts.
/// </summary>
/// <param name="Threshold">The threshold crossed (a fraction of the limit, such as 0.75), for threshold alerts; null otherwise.</param>
/// <param name="Utilization">(spent + reserved) / limit, as the budget reports it.</param>
/// <param name="State">The budget's state: <c>ok</c>, <c>warning</c>, <c>throttled</c> or <c>blocked</c>.</param>
/// <param name="Spent">What the budget has spent this period, of <see cref="Metric"/>.</param>
/// <param name="Limit">The limit of <see cref="Metric"/>, null if it has none.</param>
/// <param name="PeriodEnd">When the period ends; null for a <c>total</c> budget.</param>
/// <param name="Message">One sentence for people, such as "alice-daily reached 75% of its daily cost limit".</param>
/// <param name="CreatedAt">When the alert was raised: the body's <c>timestamp</c>, the same on every retry.</param>
/// <param name="Currency">The tenant's currency (ISO 4217), for messages; null to leave amounts bare.</param>
/// <param name="Metric">Which limit the figures are of: <c>cost</c>, <c>tokens</c> or <c>operations</c>.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Alerts.AlertNotice")]
public sealed record AlertNotice(
    [property: Id(0)] AlertEventType Type,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string BudgetId,
    [property: Id(3)] string AlertId,
    [property: Id(4)] decimal? Threshold,
    [property: Id(5)] decimal Utilization,
    [property: Id(6)] string State,
    [property: Id(7)] decimal Spent,
    [property: Id(8)] decimal? Limit,
    [property: Id(9)] DateTimeOffset? PeriodEnd,
    [property: Id(10)] string Message,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] string? Currency = null,
    [property: Id(13)] string Metric = "cost");
