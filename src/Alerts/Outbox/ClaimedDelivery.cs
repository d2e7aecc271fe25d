namespace BudgetActors.Alerts;

/// <summary>
/// A delivery a worker has claimed for one attempt, until <see cref="LeaseUntil"/>. Only the holder
/// of <see cref="Token"/> can record the attempt's outcome; after the lease another worker may
/// claim it again (the first one is presumed dead).
/// </summary>
/// <param name="Attempt">This attempt's number (1 = the first try).</param>
public sealed record ClaimedDelivery(long Id, Guid Token, DeliveryRequest Request, int Attempt, DateTimeOffset LeaseUntil, DateTimeOffset CreatedAt);
