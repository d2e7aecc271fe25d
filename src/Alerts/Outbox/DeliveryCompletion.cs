namespace BudgetActors.Alerts;

/// <summary>
/// What an attempt settled: <see cref="DeliveryStatus.Delivered"/>; <see cref="DeliveryStatus.Pending"/>
/// with the error and <see cref="NextAttemptAt"/> (a retry); or <see cref="DeliveryStatus.Failed"/>
/// with the error (given up).
/// </summary>
public sealed record DeliveryCompletion(DeliveryStatus Status, string? Error, DateTimeOffset At, DateTimeOffset? NextAttemptAt = null);
