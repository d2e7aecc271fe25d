using System.Collections.Immutable;

namespace BudgetActors.Extensions.AI;

/// <summary>
/// <see cref="IBudgetClient"/> straight to the cluster, through <see cref="IAdmissionGrain"/> (key 0) —
/// the job-worker entry point. Pass the application's <c>IClusterClient</c> (an <see cref="IGrainFactory"/>).
/// </summary>
/// <remarks>
/// Amounts go to the grain as they are (no JSON), so an <see cref="LlmEstimate"/> also carries its tool
/// definitions. The cluster's refusals (<see cref="BudgetActorsException"/>) are rethrown as
/// <see cref="BudgetApiException"/> with the status the HTTP API would answer, so callers handle one
/// exception type whatever the transport.
/// </remarks>
public sealed class GrainBudgetClient(IGrainFactory grains) : IBudgetClient
{
    private IAdmissionGrain Admission => grains.GetGrain<IAdmissionGrain>(0);

    public async Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default)
    {
        var reserve = new ReserveRequest(
            request.IdempotencyKey,
            request.Attributes.ToImmutableSortedDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            request.Estimate,
            request.Ttl,
            request.Priority);
        var r = await Call(() => Admission.Reserve(request.Tenant, reserve), cancellationToken);
        return new BudgetReservation(r.Granted, r.ReservationId, r.ExpiresAt, r.Decision, r.ThrottleFactor, r.DowngradeTo,
            r.BlockedBy.IsDefault ? [] : r.BlockedBy, r.Estimate, Snapshots(r.Budgets), r.Reasons.IsDefault ? [] : r.Reasons);
    }

    public async Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default)
    {
        var r = await Call(() => Admission.Commit(tenant, reservationId, new CommitRequest(actual)), cancellationToken);
        return new BudgetCommit(r.Charged, r.Released, Snapshots(r.Budgets));
    }

    public async Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default)
    {
        var r = await Call(() => Admission.Release(tenant, reservationId), cancellationToken);
        return new BudgetRelease(r.Released, Snapshots(r.Budgets));
    }

    /// <summary>
    /// Grain calls take no token: a cancelled caller stops waiting, but the call itself may still land
    /// (as an HTTP request already sent would).
    /// </summary>
    private static async Task<T> Call<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await call().WaitAsync(cancellationToken);
        }
        catch (BudgetActorsException e)
        {
            throw new BudgetApiException(StatusOf(e.Kind), TitleOf(e.Kind), e.Message, innerException: e);
        }
    }

    private static int StatusOf(ProblemKind kind) => kind switch
    {
        ProblemKind.TenantNotFound or ProblemKind.BudgetNotFound or ProblemKind.ReservationNotFound => 404,
        ProblemKind.Conflict => 409,
        _ => 400,
    };

    private static string TitleOf(ProblemKind kind) => kind switch
    {
        ProblemKind.TenantNotFound or ProblemKind.BudgetNotFound or ProblemKind.ReservationNotFound => "Not Found",
        ProblemKind.Conflict => "Conflict",
        _ => "Bad Request",
    };

    private static IReadOnlyList<BudgetSnapshot> Snapshots(ImmutableArray<BudgetStatus> statuses) =>
        statuses.IsDefault ? [] : [.. statuses.Select(s => new BudgetSnapshot(s.BudgetId, s.State, s.Cost, s.Tokens, s.Operations, s.PeriodEnd))];
}
