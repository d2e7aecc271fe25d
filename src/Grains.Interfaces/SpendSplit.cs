using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Spend from <see cref="From"/> to <see cref="To"/> (days of the tenant's zone) split into slices, largest first.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendSplit")]
public sealed record SpendSplit(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly To,
    [property: Id(2)] ImmutableArray<SpendShare> Shares);
