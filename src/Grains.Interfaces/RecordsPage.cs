using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="Next">The cursor of the next page, or null when this page reached the tenant's oldest record.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.RecordsPage")]
public sealed record RecordsPage(
    [property: Id(0)] ImmutableArray<SpendRecord> Items,
    [property: Id(1)] long? Next);
