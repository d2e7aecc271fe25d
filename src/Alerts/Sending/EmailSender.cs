using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BudgetActors.Alerts;

/// <summary>
/// Email over the host's SMTP server (<c>Alerts:Smtp</c>), with MailKit: one connection per send
/// (alerts are rare; a kept connection would only go stale). The Message-ID is derived from the
/// delivery's message id, the same on every retry, so a mail that did arrive before a retry is
/// recognisably the same mail.
/// </summary>
public sealed class EmailSender(IOptions<AlertOptions> options) : IAlertSender
{
    public AlertChannelType Type => AlertChannelType.Email;

    public async Task<SendResult> SendAsync(AlertChannel channel, DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host) || string.IsNullOrWhiteSpace(smtp.From))
        {
            return SendResult.Failure("SMTP is not configured (Alerts:Smtp:Host and Alerts:Smtp:From)");
        }

        if (channel.Recipients.IsEmpty)
        {
            return SendResult.Failure("the channel has no recipients");
        }

        var notice = attempt.Request.Notice;
        var content = EmailContent.For(notice);
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var recipient in channel.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = content.Subject;
        message.Date = attempt.At;
        message.MessageId = $"{attempt.Request.MessageId}@budget-actors.alerts";
        message.Headers.Add("X-BudgetActors-Alert", notice.AlertId);
        message.Headers.Add("X-BudgetActors-Event", notice.Type.ToWire());
        message.Body = new TextPart("plain") { Text = content.Body };

        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, options.Value.Delivery.SendTimeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptionsFor(smtp), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return SendResult.Success;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return SendResult.Failure($"SMTP {smtp.Host}:{smtp.Port}: {error.Message}");
        }
    }

    /// <summary>UseTls: TLS from the first byte on port 465, STARTTLS (required) elsewhere; otherwise none.</summary>
    private static SecureSocketOptions SecureSocketOptionsFor(SmtpOptions smtp) =>
        !smtp.UseTls ? SecureSocketOptions.None
        : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
        : SecureSocketOptions.StartTls;
}
