namespace BudgetActors.Grains.Audit;

/// <summary>
/// The audit trail's store. Writes are queued and stored in the background, off the admission path:
/// <see cref="Record"/> returns at once with a task that ends when the event is stored (or the log
/// gave up on it), which a caller on the check path never awaits. Within a tenant, ids follow the
/// order in which events were stored, so a reader paging by id never misses one stored later.
/// </summary>
public interface IAuditLog
{
    Task Record(AuditRecord record);

    Task<AuditPage> Query(AuditQuery query, CancellationToken cancellationToken = default);
}
