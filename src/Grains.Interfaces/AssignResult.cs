namespace BudgetActors;

/// <param name="Created">The subject had no assignment before.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.AssignResult")]
public sealed record AssignResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] SubjectInfo Subject);
