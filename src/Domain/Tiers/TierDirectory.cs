using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// The tiers of a tenant as the check path needs them, handed out with the tenant's directory: the
/// templates, which subjects are assigned to which tier, the tenant's default tier, and which subjects
/// already have their tier's budgets. Subjects are keyed <c>attribute/value</c>
/// (<see cref="BudgetActors.Domain.SubjectKeys"/>).
/// </summary>
/// <param name="Assigned">Subject → tier, as assigned explicitly (<c>PUT …/subjects/{subject}/{id}</c>).</param>
/// <param name="Instantiated">Subject → the tier whose budgets the subject has now.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.TierDirectory")]
public sealed record TierDirectory(
    [property: Id(0)] ImmutableArray<TierDefinition> Tiers,
    [property: Id(1)] ImmutableDictionary<string, string> Assigned,
    [property: Id(2)] ImmutableDictionary<string, string> Instantiated,
    [property: Id(3)] string? DefaultTier)
{
    public static readonly TierDirectory Empty = new([], ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty, null);
}
