namespace BudgetActors.Alerts;

/// <summary>
/// The worker's side of the outbox: claim due deliveries under a lease, record each attempt's
/// outcome. The times come from the worker's <see cref="TimeProvider"/>, never from the database
/// clock, so that tests drive leases and backoff with a fake clock (and silos should keep their
/// clocks in sync, as any lease needs).
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Claims up to <paramref name="max"/> pending deliveries due at <paramref name="now"/> that no
    /// live lease holds, oldest due first, skipping <paramref name="excludedTenants"/> (those the
    /// worker already has enough of in flight). Each claim counts as an attempt. Two workers never
    /// hold the same delivery at once.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(
        int max, IReadOnlyCollection<string> excludedTenants, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Records an attempt's outcome and ends the claim; false if the claim was lost (its lease ran out and another worker took it).</summary>
    Task<bool> CompleteAsync(ClaimedDelivery claim, DeliveryCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back unsent: the attempt does not count, and the delivery is due again at once.</summary>
    Task ReleaseAsync(ClaimedDelivery claim, CancellationToken cancellationToken = default);

    /// <summary>Deletes delivered and failed deliveries last changed before <paramref name="before"/>; how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
