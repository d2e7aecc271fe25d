using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="ChargedRate">The exchange rate the charged cost was converted at from catalog (USD) prices; null when none was.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.CommitResult")]
public sealed record CommitResult(
    [property: Id(0)] Amount Charged,
    [property: Id(1)] Amount Released,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets,
    [property: Id(3)] ExchangeRate? ChargedRate = null);
