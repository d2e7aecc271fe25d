using System.Collections.Immutable;
using BudgetActors.Domain.Reports;

namespace BudgetActors;

/// <summary>One charge as the ledger keeps it: a usage (id: its usage id) or a reservation's commit (id: the reservation id).</summary>
/// <param name="At">When it counts: a usage's timestamp, or when it was recorded.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendRecord")]
public sealed record SpendRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(4)] Amount Charged,
    [property: Id(5)] SpendDetail? Detail,
    [property: Id(6)] ImmutableArray<string> Budgets,
    [property: Id(7)] long Sequence);
