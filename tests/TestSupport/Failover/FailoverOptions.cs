namespace BudgetActors.TestSupport.Failover;

/// <summary>How a <see cref="FailoverProbe"/> run loads the cluster and when it kills a silo.</summary>
/// <param name="Callers">Concurrent HTTP callers, each with one request outstanding (a closed loop).</param>
/// <param name="BeforeKill">Steady load before the kill, so that the run shows what normal looks like.</param>
/// <param name="WarmUp">
/// Load before that, not measured: the first reservations and usages of a tenant activate its grains
/// and open ledger connections, which takes seconds on a loaded machine and is not what is measured.
/// </param>
/// <param name="AfterKill">
/// Load after the kill; new operations stop then and the ones under way finish. Long enough to see
/// the errors stop and the survivor serve alone for a while.
/// </param>
/// <param name="Silo">The silo killed with SIGKILL (its index in the cluster).</param>
/// <param name="AttemptTimeout">
/// The HTTP client's timeout for one request: longer than any timeout of the cluster (Orleans'
/// response timeout defaults to 30 s), so that a request's real duration is measured rather than cut.
/// </param>
/// <param name="GiveUpAfter">
/// After the load stops, how long an operation still not acknowledged keeps being retried before it
/// counts as not acknowledged.
/// </param>
/// <param name="Users">Budgets besides the tenant's own: one per user, requests cycle through the users, so that the budget grains spread over both silos.</param>
public sealed record FailoverOptions(
    int Callers,
    TimeSpan BeforeKill,
    TimeSpan AfterKill,
    TimeSpan WarmUp,
    int Silo = 0,
    TimeSpan? AttemptTimeout = null,
    TimeSpan? GiveUpAfter = null,
    int Users = 8)
{
    public TimeSpan RequestTimeout => AttemptTimeout ?? TimeSpan.FromSeconds(60);

    public TimeSpan RetryDeadline => GiveUpAfter ?? TimeSpan.FromSeconds(90);
}
