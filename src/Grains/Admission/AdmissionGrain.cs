using BudgetActors.Grains.Telemetry;
using Orleans.Concurrency;

namespace BudgetActors.Grains.Admission;

/// <summary>Admission for job workers that call the cluster directly: one local worker per silo.</summary>
[StatelessWorker, Reentrant]
public sealed class AdmissionGrain(BudgetAdmission admission) : Grain, IAdmissionGrain
{
    public Task<CheckResult> Check(string tenantId, CheckRequest request) => admission.Check(tenantId, request, AdmissionDoor.Grain);

    public Task<ReserveResult> Reserve(string tenantId, ReserveRequest request) => admission.Reserve(tenantId, request, AdmissionDoor.Grain);

    public Task<CommitResult> Commit(string tenantId, string reservationId, CommitRequest request) =>
        admission.Commit(tenantId, reservationId, request);

    public Task<ReleaseResult> Release(string tenantId, string reservationId) => admission.Release(tenantId, reservationId);

    public Task<UsageResult> RecordUsage(string tenantId, UsageRequest request) => admission.RecordUsage(tenantId, request);
}
