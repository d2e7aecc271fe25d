using System.Collections.Immutable;

namespace BudgetActors.Domain.Reports;

/// <summary>
/// How a charge was priced, kept with its ledger entry: for an LLM call the model and its tokens by
/// kind, for a job the resources it used and its environment multiplier; for both the cost of each
/// part (<see cref="SpendComponents"/> names), in the tenant's currency. The parts add up to the
/// entry's cost exactly (see <see cref="CostAllocation"/>), so reports split spend without a residue.
/// A charge stated as a plain amount (<c>actual</c>) has no detail.
/// </summary>
/// <param name="Model">The model the call was priced as (the catalog's canonical id when it knows the model).</param>
/// <param name="Tokens">The call's billable tokens, each in exactly one kind.</param>
/// <param name="Job">The job's resources as reported.</param>
/// <param name="Multiplier">The job's environment multiplier, already applied to <paramref name="Components"/>.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendDetail")]
public sealed record SpendDetail(
    [property: Id(0)] string? Model,
    [property: Id(1)] LlmTokenCounts? Tokens,
    [property: Id(2)] JobUsage? Job,
    [property: Id(3)] decimal? Multiplier,
    [property: Id(4)] ImmutableSortedDictionary<string, decimal> Components)
{
    /// <summary>Detail equality is by value, components included (records compare dictionaries by reference).</summary>
    public bool SameAs(SpendDetail? other) =>
        other is not null && Model == other.Model && Tokens == other.Tokens && Job == other.Job && Multiplier == other.Multiplier
        && Components.Count == other.Components.Count
        && Components.All(c => other.Components.TryGetValue(c.Key, out var v) && v == c.Value);
}
