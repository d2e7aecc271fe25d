using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="Next">The value to continue after, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SubjectPage")]
public sealed record SubjectPage(
    [property: Id(0)] ImmutableArray<SubjectInfo> Items,
    [property: Id(1)] string? Next);
