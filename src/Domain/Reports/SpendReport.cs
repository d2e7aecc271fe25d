using System.Collections.Immutable;

namespace BudgetActors.Domain.Reports;

/// <summary>The spend of a tenant over whole days of its zone, grouped by one dimension (see <see cref="ReportBuilder"/>).</summary>
/// <param name="TopDrivers">The five largest groups by cost.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendReport")]
public sealed record SpendReport(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly To,
    [property: Id(2)] string Currency,
    [property: Id(3)] ReportTotal Total,
    [property: Id(4)] ImmutableArray<ReportGroup> Groups,
    [property: Id(5)] ImmutableArray<ReportGroup> TopDrivers,
    [property: Id(6)] ImmutableArray<string> Recommendations);
