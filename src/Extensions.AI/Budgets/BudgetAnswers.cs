namespace BudgetActors.Extensions.AI;

/// <summary>One applicable budget as an admission answer reports it.</summary>
public sealed record BudgetSnapshot(
    string Id,
    BudgetState State,
    MetricStatus Cost,
    MetricStatus Tokens,
    MetricStatus Operations,
    DateTimeOffset? PeriodEnd);

/// <summary>The answer to a reservation. Refused (<see cref="Granted"/> false) means nothing is held.</summary>
/// <param name="DowngradeTo">With decision <see cref="Decision.Downgrade"/>: the model the policy suggests.</param>
/// <param name="BlockedBy">Ids of the budgets that refused.</param>
/// <param name="Estimate">The estimate as the service priced it.</param>
/// <param name="Reasons">Why, per budget that was not plain allow (the service's <c>reasons</c>).</param>
public sealed record BudgetReservation(
    bool Granted,
    string? ReservationId,
    DateTimeOffset? ExpiresAt,
    Decision Decision,
    decimal? ThrottleFactor,
    string? DowngradeTo,
    IReadOnlyList<string> BlockedBy,
    Amount Estimate,
    IReadOnlyList<BudgetSnapshot> Budgets,
    IReadOnlyList<BudgetReason>? Reasons = null)
{
    /// <summary>Why each budget that did not simply allow said what it did, most restrictive first (never null).</summary>
    public IReadOnlyList<BudgetReason> Reasons { get; init; } = Reasons ?? [];
}

/// <summary>The answer to a commit: what was charged, what of the hold was freed.</summary>
public sealed record BudgetCommit(Amount Charged, Amount Released, IReadOnlyList<BudgetSnapshot> Budgets);

/// <summary>The answer to a release.</summary>
public sealed record BudgetRelease(Amount Released, IReadOnlyList<BudgetSnapshot> Budgets);
