namespace BudgetActors.Alerts;

/// <summary>
/// One attempt's outcome: <see cref="DeliveryStatus.Delivered"/> after <see cref="Attempts"/> tries;
/// <see cref="DeliveryStatus.Pending"/>, a failed attempt with <see cref="Error"/> and the next try at
/// <see cref="NextAttemptAt"/>; or <see cref="DeliveryStatus.Failed"/>, given up with <see cref="Error"/>.
/// </summary>
/// <param name="Attempts">Tries so far, this one included.</param>
/// <param name="Error">This attempt's error (the delivery's <c>lastError</c>); null when delivered.</param>
/// <param name="ChannelType">The channel's type at this attempt; null when the channel was not found.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Alerts.DeliveryOutcome")]
public sealed record DeliveryOutcome(
    [property: Id(0)] DeliveryRequest Request,
    [property: Id(1)] DeliveryStatus Status,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? Error,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] DateTimeOffset? NextAttemptAt,
    [property: Id(6)] AlertChannelType? ChannelType);
