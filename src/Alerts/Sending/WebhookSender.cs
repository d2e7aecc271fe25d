using System.Globalization;

namespace BudgetActors.Alerts;

/// <summary>
/// Standard Webhooks: the body of <see cref="WebhookPayload"/>, signed, with <c>webhook-id</c> (the
/// delivery's message id, the same on every retry so receivers can drop duplicates),
/// <c>webhook-timestamp</c> (this attempt, Unix seconds) and <c>webhook-signature</c>.
/// </summary>
public sealed class WebhookSender(ChannelHttpClient http) : IAlertSender
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public AlertChannelType Type => AlertChannelType.Webhook;

    public Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        if (!ChannelSecrets.TryGetKey(channel.Secret, out var key))
        {
            return Task.FromResult(SendResult.Failure("the channel has no valid signing secret (whsec_…)"));
        }

        var body = WebhookPayload.Serialize(attempt.Request.Notice);
        var messageId = attempt.Request.MessageId;
        var timestamp = attempt.At.ToUnixTimeSeconds();
        KeyValuePair<string, string>[] headers =
        [
            new(IdHeader, messageId),
            new(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(SignatureHeader, WebhookSignature.Sign(key, messageId, timestamp, body)),
        ];
        return http.PostJsonAsync(channel.Url, body, headers, cancellationToken);
    }
}
