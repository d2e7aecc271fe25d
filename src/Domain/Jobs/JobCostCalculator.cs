using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

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
