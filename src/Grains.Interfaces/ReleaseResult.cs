using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.ReleaseResult")]
public sealed record ReleaseResult(
    [property: Id(0)] Amount Released,
    [property: Id(1)] ImmutableArray<BudgetStatus> Budgets);
