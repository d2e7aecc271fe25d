using System.Collections.Immutable;

namespace BudgetActors.Domain.Reports;

/// <summary>
/// One group of a report: its charges' count and exact cost, its share of the total cost, and the
/// cost per charge — average (rounded half to even to 6 places), exact min and max, and p95 from the
/// quantile sketch (within 1 %, rounded to 6 places). Components: cost by part, the non-zero ones.
/// </summary>
/// <param name="Key">The group's value (a queue, model, user, project or budget id); null for charges without one.</param>
/// <param name="Share">Cost / the report's total cost, 0–1 rounded to 6 places (0 when nothing was spent). Budgets nest, so budget shares may add up to more than 1.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReportGroup")]
public sealed record ReportGroup(
    [property: Id(0)] string? Key,
    [property: Id(1)] long Count,
    [property: Id(2)] decimal Cost,
    [property: Id(3)] decimal Share,
    [property: Id(4)] decimal Avg,
    [property: Id(5)] decimal Min,
    [property: Id(6)] decimal Max,
    [property: Id(7)] decimal P95,
    [property: Id(8)] ImmutableSortedDictionary<string, decimal> Components,
    [property: Id(9)] decimal Tokens,
    [property: Id(10)] decimal Operations);
