using System.Collections.Immutable;

namespace BudgetActors.Grains.Tiers;

/// <summary>
/// A tenant's tiers as its grain stores them (part of <see cref="TenantState"/>): the templates, the
/// explicit assignments and which subjects have which tier's budgets. Subjects are keyed
/// <c>attribute/value</c> (<see cref="Domain.SubjectKeys"/>). The default tier is the tenant's
/// setting (<see cref="TenantInfo.DefaultTier"/>).
/// </summary>
[GenerateSerializer, Alias("BudgetActors.Grains.Tiers.TierBook")]
public sealed class TierBook
{
    [Id(0)] public Dictionary<string, TierDefinition> Tiers { get; set; } = [];

    /// <summary>Subject → tier, as assigned.</summary>
    [Id(1)] public Dictionary<string, string> Assigned { get; set; } = [];

    /// <summary>Subject → the tier whose budgets it has now (kept equal to its tier by every change).</summary>
    [Id(2)] public Dictionary<string, string> Instantiated { get; set; } = [];

    public TierDirectory ToDirectory(string? defaultTier) =>
        Tiers.Count == 0 && Assigned.Count == 0 && Instantiated.Count == 0 && defaultTier is null
            ? TierDirectory.Empty
            : new TierDirectory(
                [.. Tiers.Values.OrderBy(t => t.Id, StringComparer.Ordinal)],
                Assigned.ToImmutableDictionary(StringComparer.Ordinal),
                Instantiated.ToImmutableDictionary(StringComparer.Ordinal),
                defaultTier);
}
