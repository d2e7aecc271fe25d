using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A roll-up of the budgets whose scope names one user (or of all a tenant's budgets). Spend is not
/// summed across budgets: they overlap (a usage is charged to every budget that applies), so a sum
/// would count it several times.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendSummary")]
public sealed record SpendSummary(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? User,
    [property: Id(2)] BudgetState WorstState,
    [property: Id(3)] ImmutableArray<string> BlockedBy,
    [property: Id(4)] ImmutableArray<BudgetStatus> Budgets,
    [property: Id(5)] ImmutableArray<AllocationLine> Allocation = default);
