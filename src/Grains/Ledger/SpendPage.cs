namespace BudgetActors.Grains.Ledger;

/// <param name="Next">The <see cref="SpendQuery.Before"/> of the next page; null when this one reached the oldest entry.</param>
public sealed record SpendPage(IReadOnlyList<LedgerRecord> Items, long? Next);
