namespace BudgetActors.Domain;

/// <summary>
/// Something worth telling people that a budget's account noticed, once a period
/// (<see cref="BudgetAccount.NoteAlertFacts"/>). The figures are of <see cref="Metric"/>, the limited
/// metric closest to (or furthest past) its limit.
/// </summary>
/// <param name="Threshold">For <see cref="AlertFactKind.Threshold"/>: the highest threshold reached.</param>
/// <param name="OverrunAt">For <see cref="AlertFactKind.Forecast"/>: when the forecast's median path reaches the limit.</param>
/// <param name="ProjectedAtEnd">For <see cref="AlertFactKind.Forecast"/>: the forecast's median spend at the period's end.</param>
public sealed record AlertFact(
    AlertFactKind Kind,
    DateTimeOffset PeriodStart,
    DateTimeOffset? PeriodEnd,
    decimal? Threshold,
    BudgetState State,
    decimal Utilization,
    string Metric,
    decimal Spent,
    decimal? Limit,
    DateTimeOffset? OverrunAt = null,
    decimal? ProjectedAtEnd = null);
