using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Reports;

/// <summary>The aggregates of the embedded default: in this process, lost with it (as its in-memory ledger is).</summary>
public sealed class InMemorySpendAggregates : ISpendAggregateStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string Budget), Dictionary<(string Dimension, string Value, DateOnly Day), SpendAggregate>> _rows = [];
    private long _watermark;

    public Task<long> GetWatermarkAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_watermark);
        }
    }

    public Task<bool> ApplyAsync(long expectedWatermark, long newWatermark, IReadOnlyDictionary<AggregateKey, SpendAggregate> deltas, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_watermark != expectedWatermark)
            {
                return Task.FromResult(false);
            }

            foreach (var (key, delta) in deltas)
            {
                if (!_rows.TryGetValue((key.TenantId, key.BudgetId), out var rows))
                {
                    _rows[(key.TenantId, key.BudgetId)] = rows = [];
                }

                if (rows.TryGetValue((key.Dimension, key.Value, key.Day), out var row))
                {
                    row.Merge(delta);
                }
                else
                {
                    rows[(key.Dimension, key.Value, key.Day)] = delta.Copy(); // the caller's object stays the caller's
                }
            }

            _watermark = newWatermark;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<KeyValuePair<AggregateKey, SpendAggregate>>> ReadAsync(string tenantId, string budgetId, IReadOnlyCollection<string> dimensions,
        DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            // Copies: rows go on changing under the lock after this returns.
            IReadOnlyList<KeyValuePair<AggregateKey, SpendAggregate>> found = _rows.TryGetValue((tenantId, budgetId), out var rows)
                ? [.. rows.Where(r => dimensions.Contains(r.Key.Dimension) && r.Key.Day >= from && r.Key.Day <= to)
                    .Select(r => KeyValuePair.Create(new AggregateKey(tenantId, budgetId, r.Key.Dimension, r.Key.Value, r.Key.Day), r.Value.Copy()))]
                : [];
            return Task.FromResult(found);
        }
    }

    public Task ResetAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _rows.Clear();
            _watermark = 0;
            return Task.CompletedTask;
        }
    }
}
