namespace BudgetActors;

/// <summary>
/// The entry point for job workers that call the cluster directly: the same admission the HTTP API
/// offers, for one tenant per call. Served by a stateless worker on every silo; use key 0.
/// </summary>
[Alias("BudgetActors.IAdmissionGrain")]
public interface IAdmissionGrain : IGrainWithIntegerKey
{
    [Alias("Check")]
    Task<CheckResult> Check(string tenantId, CheckRequest request);

    [Alias("Reserve")]
    Task<ReserveResult> Reserve(string tenantId, ReserveRequest request);

    [Alias("Commit")]
    Task<CommitResult> Commit(string tenantId, string reservationId, CommitRequest request);

    [Alias("Release")]
    Task<ReleaseResult> Release(string tenantId, string reservationId);

    [Alias("RecordUsage")]
    Task<UsageResult> RecordUsage(string tenantId, UsageRequest request);
}
