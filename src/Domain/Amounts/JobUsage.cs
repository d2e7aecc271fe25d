using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>The <c>jobUsage</c> actual of API.md: the resources a job used, priced by the tenant's job cost model.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.JobUsage")]
public sealed record JobUsage(
    [property: Id(0)] decimal CpuSeconds,
    [property: Id(1)] decimal MemoryMbSeconds,
    [property: Id(2)] long PayloadBytes,
    [property: Id(3)] long Ops,
    [property: Id(4)] long NetworkBytes) : AmountSpec;
