namespace BudgetActors.Alerts;

/// <summary>A Slack incoming webhook (<see cref="SlackMessage"/>); Slack answers 200 "ok".</summary>
public sealed class SlackSender(ChannelHttpClient http) : IAlertSender
{
    public AlertChannelType Type => AlertChannelType.Slack;

    public Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken) =>
        http.PostJsonAsync(channel.Url, SlackMessage.Serialize(attempt.Request.Notice), [], cancellationToken);
}
