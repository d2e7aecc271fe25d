namespace BudgetActors.Alerts;

/// <summary>Sends one attempt of a delivery to a channel of one type. Failures are results, not exceptions.</summary>
public interface IAlertSender
{
    AlertChannelType Type { get; }

    /// <param name="cancellationToken">Fires at the send timeout (the dispatcher's) or when the worker stops.</param>
    Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken);
}
