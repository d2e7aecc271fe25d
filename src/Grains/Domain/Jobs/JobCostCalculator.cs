using System.Collections.Immutable;

namespace BudgetActors.Grains.Domain.Jobs;

/// <summary>The resources of one job in the units the weights price: the features of the cost formula.</summary>
public readonly record struct JobResources(decimal CpuSeconds, decimal MemoryMbSeconds, decimal PayloadKb, decimal StoreOperations, decimal NetworkMb)
{
    public static JobResources From(JobUsage usage) => new(
        usage.CpuSeconds, usage.MemoryMbSeconds, usage.PayloadBytes / 1024m, usage.Ops, usage.NetworkBytes / (1024m * 1024m));

    /// <summary>The formula's inputs in the order of <see cref="JobCostWeights.AsVector"/>; the last is 1 (the base per job).</summary>
    public ImmutableArray<decimal> AsVector() => [CpuSeconds, MemoryMbSeconds, PayloadKb, StoreOperations, NetworkMb, 1m];
}

/// <summary>Prices jobs by a tenant's <see cref="JobCostModel"/>.</summary>
public static class JobCostCalculator
{
    public static JobCostBreakdown Price(this JobCostModel model, JobUsage usage, string? queue, string? environment)
    {
        var resources = JobResources.From(usage);
        var w = model.WeightsFor(queue);
        var multiplier = model.MultiplierFor(environment);
        var parts = new JobCostBreakdown(
            Cpu: resources.CpuSeconds * w.CpuSecond,
            Memory: resources.MemoryMbSeconds * w.MemoryMbSecond,
            Payload: resources.PayloadKb * w.PayloadKb,
            StoreOperations: resources.StoreOperations * w.StoreOperation,
            Network: resources.NetworkMb * w.NetworkMb,
            Base: w.BasePerJob,
            Multiplier: multiplier,
            Total: 0m);
        var total = (parts.Cpu + parts.Memory + parts.Payload + parts.StoreOperations + parts.Network + parts.Base) * multiplier;
        return parts with { Total = Amount.RoundCost(total) };
    }
}
