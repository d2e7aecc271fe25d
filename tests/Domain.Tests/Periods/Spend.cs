namespace BudgetActors.Domain.Tests.Periods;

/// <summary>Ledger entries at given times, as the grains deliver them.</summary>
internal static class Spend
{
    public static ApplyOutcome Usage(this BudgetAccount account, Amount amount, DateTimeOffset at, long? sequence = null) =>
        account.Apply(UsageEntry(amount, at, sequence));

    public static SpendEvent UsageEntry(Amount amount, DateTimeOffset at, long? sequence = null) =>
        new(sequence ?? LedgerEvents.NextSequence(), LedgerEntryKind.Usage, null, amount, null, at);

    public static SpendEvent ResetEntry(DateTimeOffset at, string reason, long? sequence = null) =>
        new(sequence ?? LedgerEvents.NextSequence(), LedgerEntryKind.Reset, null, Amount.Zero, null, at, Note: reason);

    public static ApplyOutcome Reset(this BudgetAccount account, DateTimeOffset at, string reason, long? sequence = null) =>
        account.Apply(ResetEntry(at, reason, sequence));

    public static Amount Cost(decimal cost) => new(cost, 0, 0);
}
