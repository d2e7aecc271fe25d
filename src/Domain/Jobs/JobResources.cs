using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

/// <summary>The resources of one job in the units the weights price: the features of the cost formula.</summary>
public readonly record struct JobResources(decimal CpuSeconds, decimal MemoryMbSeconds, decimal PayloadKb, decimal StoreOperations, decimal NetworkMb)
{
    public static JobResources From(JobUsage usage) => new(
        usage.CpuSeconds, usage.MemoryMbSeconds, usage.PayloadBytes / 1024m, usage.Ops, usage.NetworkBytes / (1024m * 1024m));

    /// <summary>The formula's inputs in the order of <see cref="JobCostWeights.AsVector"/>; the last is 1 (the base per job).</summary>
    public ImmutableArray<decimal> AsVector() => [CpuSeconds, MemoryMbSeconds, PayloadKb, StoreOperations, NetworkMb, 1m];
}
