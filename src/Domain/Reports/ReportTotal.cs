namespace BudgetActors.Domain.Reports;

/// <summary>Everything charged in a report's days: cost (exact), tokens, operations and the number of charges.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReportTotal")]
public sealed record ReportTotal(
    [property: Id(0)] decimal Cost,
    [property: Id(1)] decimal Tokens,
    [property: Id(2)] decimal Operations,
    [property: Id(3)] long Count);
