namespace BudgetActors.Alerts;

/// <summary>In-app channels are the alert feed itself (the host's): nothing leaves, so delivery succeeds at once.</summary>
public sealed class InAppSender : IAlertSender
{
    public AlertChannelType Type => AlertChannelType.InApp;

    public Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken) =>
        Task.FromResult(SendResult.Success);
}
