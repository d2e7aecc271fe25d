namespace BudgetActors.Alerts;

/// <summary>A delivery as the outbox holds it now.</summary>
/// <param name="Attempts">Tries started so far (a try whose worker died counts: it may have reached the receiver).</param>
/// <param name="NextAttemptAt">When a pending delivery is next due; for a finished one, when it was last due.</param>
/// <param name="UpdatedAt">When it last changed (enqueued, claimed, or an attempt's outcome recorded).</param>
public sealed record DeliveryRecord(
    string Tenant,
    string AlertId,
    string ChannelId,
    string MessageId,
    DeliveryStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
