using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// How much of one budget's limits the budgets nested directly inside it have been given: per
/// metric, the sum of their limits, and whether that passes the budget's own limit.
/// </summary>
/// <param name="Nested">The budgets directly inside this one (same period), by id.</param>
/// <param name="Allocated">Per metric, the sum of the nested budgets' limits on it (null where none of them limits it).</param>
/// <param name="OverAllocated">True when any allocated metric passes this budget's own limit on it.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.AllocationLine")]
public sealed record AllocationLine(
    [property: Id(0)] string BudgetId,
    [property: Id(1)] Limits Limits,
    [property: Id(2)] ImmutableArray<string> Nested,
    [property: Id(3)] Limits Allocated,
    [property: Id(4)] bool OverAllocated);
