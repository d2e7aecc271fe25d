using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.CommitResult")]
public sealed record CommitResult(
    [property: Id(0)] Amount Charged,
    [property: Id(1)] Amount Released,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets);
