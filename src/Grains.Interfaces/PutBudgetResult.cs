using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.PutBudgetResult")]
public sealed record PutBudgetResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] BudgetDefinition Definition);
