using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tenant's job cost model: <c>(CPU·w1 + memory·w2 + payload·w3 + ops·w4 + network·w5 + base) × environment multiplier</c>,
/// with weights per queue over the tenant's default, and a multiplier per environment.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.JobCostModel")]
public sealed record JobCostModel(
    [property: Id(0)] JobCostWeights Default,
    [property: Id(1)] ImmutableSortedDictionary<string, JobCostWeights> Queues,
    [property: Id(2)] ImmutableSortedDictionary<string, decimal> Environments)
{
    /// <summary>Presets: production at list price, staging at half (smaller, preemptible machines).</summary>
    public static readonly ImmutableSortedDictionary<string, decimal> EnvironmentPresets =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("production", 1.0m), KeyValuePair.Create("staging", 0.5m)]);

    public static readonly JobCostModel Seed = new(JobCostWeights.Seed,
        ImmutableSortedDictionary<string, JobCostWeights>.Empty.WithComparers(StringComparer.Ordinal), EnvironmentPresets);

    public JobCostWeights WeightsFor(string? queue) =>
        queue is not null && Queues.TryGetValue(queue, out var weights) ? weights : Default;

    /// <summary>An environment that is not listed costs as production (multiplier 1).</summary>
    public decimal MultiplierFor(string? environment) =>
        environment is not null && Environments.TryGetValue(environment, out var multiplier) ? multiplier : 1m;

}
