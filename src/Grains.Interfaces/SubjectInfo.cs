using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>One subject (a value of an attribute) and its tier.</summary>
/// <param name="Tier">The tier it is on: its assignment, else the default tier of its attribute; null: none.</param>
/// <param name="Assigned">Its tier was assigned explicitly (not the default).</param>
/// <param name="Budgets">The ids of the budgets it has from its tier (empty until its first request).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SubjectInfo")]
public sealed record SubjectInfo(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Id,
    [property: Id(2)] string? Tier,
    [property: Id(3)] bool Assigned,
    [property: Id(4)] ImmutableArray<string> Budgets);
