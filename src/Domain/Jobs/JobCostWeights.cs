using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// The price of each resource a job uses, in the tenant's currency: per CPU-second, per MB·s of
/// memory, per KB of payload, per store operation, per MB of network, and a base per job.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.JobCostWeights")]
public sealed record JobCostWeights(
    [property: Id(0)] decimal CpuSecond,
    [property: Id(1)] decimal MemoryMbSecond,
    [property: Id(2)] decimal PayloadKb,
    [property: Id(3)] decimal StoreOperation,
    [property: Id(4)] decimal NetworkMb,
    [property: Id(5)] decimal BasePerJob)
{
    /// <summary>
    /// The seed formula, in USD, from typical public cloud list prices: a vCPU-hour at about 0.086,
    /// a GB-hour of memory at about 0.0094, 0.40 per million storage operations, 0.09 per GB of
    /// egress, 0.20 per million invocations, and a token 0.0001 per MB of payload handled. A
    /// starting point only: calibrate against real bills.
    /// </summary>
    public static readonly JobCostWeights Seed = new(
        CpuSecond: 0.000024m,
        MemoryMbSecond: 0.0000000026m,
        PayloadKb: 0.0000001m,
        StoreOperation: 0.0000004m,
        NetworkMb: 0.00009m,
        BasePerJob: 0.0000002m);

    public ImmutableArray<decimal> AsVector() => [CpuSecond, MemoryMbSecond, PayloadKb, StoreOperation, NetworkMb, BasePerJob];

    public static JobCostWeights FromVector(IReadOnlyList<decimal> w) => new(w[0], w[1], w[2], w[3], w[4], w[5]);
}
