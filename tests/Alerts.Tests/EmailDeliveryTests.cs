using System.Text;
using BudgetActors.Alerts.Tests.Support;
using MimeKit;
using netDumbster.smtp;

namespace BudgetActors.Alerts.Tests;

/// <summary>Email channels against an SMTP server in this process (netDumbster) on a free port.</summary>
public sealed class EmailDeliveryTests : IDisposable
{
    private readonly int port = FreePorts.Take(1)[0];
    private readonly SimpleSmtpServer smtp;

    public EmailDeliveryTests() => smtp = SimpleSmtpServer.Start(port);

    public void Dispose() => smtp.Dispose();

    [Fact]
    public async Task An_email_names_the_budget_what_happened_the_spend_the_limit_and_the_period_end()
    {
        await using var harness = await DeliveryHarness.StartAsync(Smtp(port));
        harness.Channels.Add("acme", AlertChannel.Email("oncall-mail", ["ops@acme.test", "cfo@acme.test"]));
        var request = DeliveryRequest.For(Notices.Threshold(), "oncall-mail");

        await harness.Outbox.EnqueueAsync([request]);
        var delivered = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.Equal(AlertChannelType.Email, delivered.ChannelType);
        var received = Assert.Single(smtp.ReceivedEmail);
        using var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(received.Data)));
        Assert.Equal(["ops@acme.test", "cfo@acme.test"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("alerts@budget-actors.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("[BudgetActors] alice-daily crossed 75% of its cost limit", message.Subject);
        Assert.Equal($"{request.MessageId}@budget-actors.alerts", message.MessageId);

        var body = message.TextBody;
        Assert.Contains("alice-daily reached 75% of its daily cost limit", body);
        Assert.Contains("Budget:       alice-daily (tenant acme)", body);
        Assert.Contains("Spent:        8.00 USD", body);
        Assert.Contains("Limit:        10.00 USD", body);
        Assert.Contains("Utilization:  80%", body);
        Assert.Contains("Period ends:  2026-12-02 00:00:00 +01:00", body);
        Assert.Contains("Alert:        al-1", body);
    }

    [Fact]
    public async Task An_unreachable_SMTP_server_is_a_failed_attempt_saying_so()
    {
        var closed = FreePorts.Take(1)[0];
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string>(Smtp(closed)) { ["Delivery:MaxAttempts"] = "1" });
        harness.Channels.Add("acme", AlertChannel.Email("oncall-mail", ["ops@acme.test"]));
        var request = DeliveryRequest.For(Notices.Threshold(), "oncall-mail");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.StartsWith($"SMTP 127.0.0.1:{closed}: ", failed.Error);
        Assert.Empty(smtp.ReceivedEmail);
    }

    [Fact]
    public async Task Without_SMTP_settings_email_channels_fail_saying_what_to_set()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string> { ["Delivery:MaxAttempts"] = "1" });
        harness.Channels.Add("acme", AlertChannel.Email("oncall-mail", ["ops@acme.test"]));
        var request = DeliveryRequest.For(Notices.Threshold(), "oncall-mail");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.Equal("SMTP is not configured (Alerts:Smtp:Host and Alerts:Smtp:From)", failed.Error);
    }

    private static Dictionary<string, string> Smtp(int port) => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = port.ToString(),
        ["Smtp:From"] = "alerts@budget-actors.test",
        ["Smtp:UseTls"] = "false",
    };
}
