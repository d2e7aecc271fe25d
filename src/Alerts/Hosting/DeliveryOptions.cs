namespace BudgetActors.Alerts;

/// <summary>
/// How the delivery worker sends and retries (<c>Alerts:Delivery</c>, env <c>Alerts__Delivery__*</c>).
/// Durations are TimeSpans in configuration: "00:00:30" (a bare number would be read as days).
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>The most one attempt may take, connection included; longer is a failed attempt.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Tries in all, the first one included, before a delivery is failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public double BackoffFactor { get; set; } = 2.0;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Each retry delay is lengthened by a random 0…Jitter of itself (0 … 1).</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Sends one worker (one silo) has in flight at once.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Sends of one tenant in flight at once on one worker: a tenant whose endpoint hangs holds at most these slots, never the others'.</summary>
    public int MaxInFlightPerTenant { get; set; } = 4;

    /// <summary>How long a claim is held; a worker that dies holding one gives it back after this. More than <see cref="SendTimeout"/>.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker looks for due deliveries when nothing wakes it (deliveries of other silos, retries coming due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long delivered and failed deliveries stay in the outbox.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
