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
    private readonly Dictionary<string, List<LedgerRecord>> spendByTenant = [];
    private readonly List<LedgerRecord> spend = [];
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

            if (entry.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit)
            {
                ListOf(spendByTenant, entry.TenantId).Add(record);
                spend.Add(record);
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

    public Task<SpendPage> ReadSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var records = query.BudgetId is { } budget
                ? byBudget.GetValueOrDefault((query.TenantId, budget))
                : spendByTenant.GetValueOrDefault(query.TenantId);
            var page = new List<LedgerRecord>(Math.Min(query.Limit, 1024));
            long? next = null;

            // Newest first: from the last record below the cursor, backwards.
            var index = records is null ? -1 : FirstAfter(records, (query.Before ?? long.MaxValue) - 1) - 1;
            for (; index >= 0; index--)
            {
                var record = records![index];
                if (!query.Matches(record.Entry))
                {
                    continue;
                }

                if (page.Count == query.Limit)
                {
                    next = page[^1].Sequence;
                    break;
                }

                page.Add(record);
            }

            return Task.FromResult(new SpendPage(page, next));
        }
    }

    public Task<SpendBatch> ReadSpendAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // One order for every tenant, assigned under the lock: everything appended so far is the horizon.
            var start = FirstAfter(spend, afterSequence);
            var count = Math.Min(limit, spend.Count - start);
            var horizon = count < spend.Count - start ? spend[start + count - 1].Sequence : Math.Max(lastSequence, afterSequence);
            return Task.FromResult(new SpendBatch(spend.GetRange(start, count), horizon));
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
