namespace BudgetActors.Grains.Ledger;

/// <summary>Spend entries after a watermark, and how far a reader that has folded them may move it.</summary>
/// <param name="Horizon">Every spend entry at or below it and above the watermark asked for is in <see cref="Entries"/>.</param>
public sealed record SpendBatch(IReadOnlyList<LedgerRecord> Entries, long Horizon);
