using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A budget as its tenant defined it. <see cref="Scope"/> maps attribute names to values (a value
/// ending in <c>*</c> matches by prefix); an empty scope is the whole tenant.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetDefinition")]
public sealed record BudgetDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Scope,
    [property: Id(2)] PeriodSpec Period,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] Thresholds Thresholds,
    [property: Id(5)] EnforcementMode Mode,
    [property: Id(6)] string? DowngradeTo,
    [property: Id(7)] AlertPolicy? Alerts = null,
    [property: Id(8)] EmergencyPolicy? Emergency = null)
{
    /// <summary>The same definition, scope compared by content (the record's own equality compares it by reference).</summary>
    public bool SameAs(BudgetDefinition other) =>
        this with { Scope = other.Scope } == other && Scope.Count == other.Scope.Count && Scope.SequenceEqual(other.Scope);
}
