namespace BudgetActors.Grains.Ledger;

/// <summary>
/// The ledger of the embedded default: the same answers as <see cref="PostgresSpendLedger"/>
/// (sequences in append order, the first entry wins a key, the same validation), kept in this
/// process and lost with it. Its one order for all tenants is more than the per-partition order
/// that PostgreSQL gives, and so keeps every promise of <see cref="ISpendLedger"/>. Silos that must
/// share a ledger (a multi-silo test cluster in one process) should be given one instance.
/// </summary>
public sealed class InMemorySpendLedger : ISpendLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Tenant, string Key), LedgerRecord> byKey = [];
    private readonly Dictionary<(string Tenant, string Budget), List<LedgerRecord>> byBudget = [];
    private readonly Dictionary<(string Tenant, string Reservation), List<LedgerRecord>> byReservation = [];
    private long lastSequence;

    public Task<AppendResult> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        LedgerEntryRules.Validate(entry);
        cancellationToken.ThrowIfCancellationRequested();
        var normalized = LedgerEntryRules.Normalize(entry); // outside the lock: every append waits for it
        lock (gate)
        {
            if (byKey.TryGetValue((entry.TenantId, entry.EntryKey), out var first))
            {
                return Task.FromResult(new AppendResult(first, Duplicate: true));
            }

            var record = new LedgerRecord(++lastSequence, normalized);
            byKey.Add((entry.TenantId, entry.EntryKey), record);
            foreach (var budget in entry.BudgetIds)
            {
                ListOf(byBudget, (entry.TenantId, budget)).Add(record);
            }

            if (entry.ReservationId is { } reservation)
            {
                ListOf(byReservation, (entry.TenantId, reservation)).Add(record);
            }

            return Task.FromResult(new AppendResult(record, Duplicate: false));
        }
    }

    public Task<LedgerRecord?> FindAsync(string tenantId, string entryKey, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(byKey.GetValueOrDefault((tenantId, entryKey)));
        }
    }

    public Task<IReadOnlyList<LedgerRecord>> ReadForBudgetAsync(string tenantId, string budgetId, long afterSequence, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // Records are added in sequence order: find the first one after the watermark.
            if (!byBudget.TryGetValue((tenantId, budgetId), out var records))
            {
                return Task.FromResult<IReadOnlyList<LedgerRecord>>([]);
            }

            var start = FirstAfter(records, afterSequence);
            return Task.FromResult<IReadOnlyList<LedgerRecord>>(records.GetRange(start, records.Count - start));
        }
    }

    public Task<IReadOnlyList<LedgerRecord>> ReadForReservationAsync(string tenantId, string reservationId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<LedgerRecord>>(
                byReservation.TryGetValue((tenantId, reservationId), out var records) ? [.. records] : []);
        }
    }

    private static List<LedgerRecord> ListOf<TKey>(Dictionary<TKey, List<LedgerRecord>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }

        return list;
    }

    private static int FirstAfter(List<LedgerRecord> records, long afterSequence)
    {
        int low = 0, high = records.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (records[middle].Sequence <= afterSequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
