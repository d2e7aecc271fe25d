namespace BudgetActors.Alerts;

/// <summary>
/// Where the grains leave deliveries: durable once <see cref="EnqueueAsync"/> returns (with the
/// PostgreSQL outbox), sent later by the delivery worker, off the admission path. Delivery is at
/// least once: a receiver may see a message twice (the same webhook-id), never zero times while
/// tries remain.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Adds the deliveries, due at once, in one transaction. A request whose (tenant, message id)
    /// is already in the outbox is skipped, so an enqueue retried after a crash does not send twice.
    /// </summary>
    Task EnqueueAsync(IReadOnlyList<DeliveryRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>The deliveries of one alert (every channel and purpose), oldest first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListAsync(string tenant, string alertId, CancellationToken cancellationToken = default);
}
