namespace BudgetActors;

/// <summary>
/// Reads the audit trail where it is kept (the silos' audit log: PostgreSQL or memory), for hosts
/// that are clients of the cluster as well as for co-hosted ones. A stateless worker on every silo.
/// </summary>
[Alias("BudgetActors.IEventLogGrain")]
public interface IEventLogGrain : IGrainWithIntegerKey
{
    [Alias("Query")]
    Task<AuditPage> Query(AuditQuery query);
}
