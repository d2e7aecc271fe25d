using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="Next">The cursor of the next page, or null when this page reached the end of the trail as it is now.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.AuditPage")]
public sealed record AuditPage(
    [property: Id(0)] ImmutableArray<AuditEvent> Items,
    [property: Id(1)] long? Next);
