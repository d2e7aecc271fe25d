namespace BudgetActors;

/// <summary>
/// How a hard budget bends near and past its limit, beyond its mode and thresholds (all optional).
/// </summary>
/// <param name="ThrottleFactor">The share of normal capacity a throttled caller keeps; null: linear from 1 at the throttle threshold to 0 at the block threshold.</param>
/// <param name="GracePeriodMinutes">After the block threshold is first reached in a period, requests are admitted for this long with decision <c>warn</c> (reason <c>grace</c>); 0: none.</param>
/// <param name="BypassPriority">Requests with at least this priority are admitted past the block threshold…</param>
/// <param name="EmergencyCeiling">…up to this fraction of the limit, never more.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.EnforcementPolicy")]
public sealed record EnforcementPolicy(
    [property: Id(0)] decimal? ThrottleFactor = null,
    [property: Id(1)] int GracePeriodMinutes = 0,
    [property: Id(2)] int? BypassPriority = null,
    [property: Id(3)] decimal? EmergencyCeiling = null)
{
    public static readonly EnforcementPolicy None = new();
}
