using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <summary>
/// Something a budget noticed that may be worth an alert: a threshold first reached, a state first
/// reached, a forecast overrun — each once per period — or an override or emergency use. The alerts
/// grain turns it into an alert if the budget's policy asks for one; <see cref="Key"/> makes a
/// trigger sent twice (a retry, a replay after a crash) count once.
/// </summary>
/// <param name="Key">Unique per budget, period and fact, such as <c>alice-daily|2026-12-01T00:00Z|threshold|0.75</c>.</param>
/// <param name="Metric">The metric whose figures are given (the one closest to its limit).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.AlertTrigger")]
public sealed record AlertTrigger(
    [property: Id(0)] string Key,
    [property: Id(1)] string BudgetId,
    [property: Id(2)] AlertEventType Type,
    [property: Id(3)] decimal? Threshold,
    [property: Id(4)] decimal Utilization,
    [property: Id(5)] BudgetState State,
    [property: Id(6)] string Metric,
    [property: Id(7)] decimal Spent,
    [property: Id(8)] decimal? Limit,
    [property: Id(9)] DateTimeOffset? PeriodEnd,
    [property: Id(10)] string Message,
    [property: Id(11)] DateTimeOffset At);
