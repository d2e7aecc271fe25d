using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="EstimateRate">The exchange rate the estimate's cost was converted at from catalog (USD) prices; null when none was.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveResult")]
public sealed record ReserveResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] string? ReservationId,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] Decision Decision,
    [property: Id(4)] decimal? ThrottleFactor,
    [property: Id(5)] string? DowngradeTo,
    [property: Id(6)] ImmutableArray<string> BlockedBy,
    [property: Id(7)] Amount Estimate,
    [property: Id(8)] ImmutableArray<BudgetStatus> Budgets,
    [property: Id(9)] ImmutableArray<BudgetReason> Reasons = default,
    [property: Id(10)] ExchangeRate? EstimateRate = null);
