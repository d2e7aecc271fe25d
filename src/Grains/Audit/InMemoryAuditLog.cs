using System.Collections.Immutable;

namespace BudgetActors.Grains.Audit;

/// <summary>The audit trail in memory (the embedded default): lost when the process ends, like the rest of its storage.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<AuditEvent>> _byTenant = new(StringComparer.Ordinal);
    private long _lastId;

    public Task Record(AuditRecord record)
    {
        lock (_gate)
        {
            if (!_byTenant.TryGetValue(record.TenantId, out var events))
            {
                _byTenant[record.TenantId] = events = [];
            }

            events.Add(new AuditEvent(++_lastId, record.TenantId, record.Type, record.At, record.Actor, record.BudgetId, record.Data));
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> Query(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byTenant.TryGetValue(query.TenantId, out var events))
            {
                return Task.FromResult(new AuditPage([], null));
            }

            // Ids grow with the list: the first event after the cursor is found by binary search.
            var start = events.BinarySearch(new AuditEvent(query.After, "", "", default, "", null, ""), ById.Instance);
            start = start < 0 ? ~start : start + 1;
            var page = ImmutableArray.CreateBuilder<AuditEvent>();
            for (var i = start; i < events.Count && page.Count < query.Limit; i++)
            {
                if (AuditFilter.Matches(query, events[i]))
                {
                    page.Add(events[i]);
                }
            }

            return Task.FromResult(new AuditPage(page.ToImmutable(), page.Count == query.Limit ? page[^1].Id : null));
        }
    }

    private sealed class ById : IComparer<AuditEvent>
    {
        public static readonly ById Instance = new();

        public int Compare(AuditEvent? x, AuditEvent? y) => x!.Id.CompareTo(y!.Id);
    }
}
