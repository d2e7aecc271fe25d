using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="EstimateRate">The exchange rate the estimate's cost was converted at from catalog (USD) prices; null when none was.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.CheckResult")]
public sealed record CheckResult(
    [property: Id(0)] Decision Decision,
    [property: Id(1)] decimal? ThrottleFactor,
    [property: Id(2)] string? DowngradeTo,
    [property: Id(3)] ImmutableArray<string> BlockedBy,
    [property: Id(4)] Amount Estimate,
    [property: Id(5)] ImmutableArray<BudgetStatus> Budgets,
    [property: Id(6)] ImmutableArray<BudgetReason> Reasons = default,
    [property: Id(7)] ExchangeRate? EstimateRate = null);
