using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.UsageResult")]
public sealed record UsageResult(
    [property: Id(0)] bool Duplicate,
    [property: Id(1)] Amount Charged,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets);
