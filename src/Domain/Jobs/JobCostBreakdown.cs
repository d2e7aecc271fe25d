using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>A job's cost, part by part (before the multiplier), and the total rounded to micro-units.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.JobCostBreakdown")]
public sealed record JobCostBreakdown(
    [property: Id(0)] decimal Cpu,
    [property: Id(1)] decimal Memory,
    [property: Id(2)] decimal Payload,
    [property: Id(3)] decimal StoreOperations,
    [property: Id(4)] decimal Network,
    [property: Id(5)] decimal Base,
    [property: Id(6)] decimal Multiplier,
    [property: Id(7)] decimal Total);
