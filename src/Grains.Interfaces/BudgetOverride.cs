namespace BudgetActors;

/// <summary>
/// A request for more room on one budget for a while, and what became of it: approved by a
/// tenant-admin key other than the one that asked, it raises the budget's limits at once until
/// <see cref="ExpiresAt"/>.
/// </summary>
/// <param name="DurationMinutes">How long an approval lasts; null: until the end of the budget's period current at approval.</param>
/// <param name="ExpiresAt">Set at approval.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetOverride")]
public sealed record BudgetOverride(
    [property: Id(0)] string Id,
    [property: Id(1)] string BudgetId,
    [property: Id(2)] OverrideState State,
    [property: Id(3)] Amount Raise,
    [property: Id(4)] string Reason,
    [property: Id(5)] string RequestedBy,
    [property: Id(6)] DateTimeOffset RequestedAt,
    [property: Id(7)] int? DurationMinutes,
    [property: Id(8)] DateTimeOffset? ExpiresAt = null,
    [property: Id(9)] string? DecidedBy = null,
    [property: Id(10)] DateTimeOffset? DecidedAt = null)
{
    /// <summary>Its state at <paramref name="now"/>: an approval whose time is up is expired, even before the tenant has filed it as such.</summary>
    public OverrideState StateAt(DateTimeOffset now) =>
        State == OverrideState.Approved && ExpiresAt is { } end && now >= end ? OverrideState.Expired : State;
}
