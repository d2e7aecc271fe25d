using Orleans.Concurrency;

namespace BudgetActors.Grains.Audit;

/// <summary>Reads the audit trail from the silo's audit log, for any host (see <see cref="IEventLogGrain"/>).</summary>
[StatelessWorker, Reentrant]
public sealed class EventLogGrain(IAuditLog log) : Grain, IEventLogGrain
{
    public Task<AuditPage> Query(AuditQuery query) => log.Query(query);
}
