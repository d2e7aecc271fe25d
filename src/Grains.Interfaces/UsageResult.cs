using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="ChargedRate">The exchange rate the charged cost was converted at from catalog (USD) prices; null when none was.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.UsageResult")]
public sealed record UsageResult(
    [property: Id(0)] bool Duplicate,
    [property: Id(1)] Amount Charged,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets,
    [property: Id(3)] ExchangeRate? ChargedRate = null);
