using System.Text.Json;
using BudgetActors.Alerts.Tests.Support;

namespace BudgetActors.Alerts.Tests;

public sealed class SlackDeliveryTests : IAsyncLifetime
{
    private HttpReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_Slack_channel_gets_an_incoming_webhook_message_with_text_and_blocks()
    {
        receiver.Respond = (_, _) => Task.FromResult((200, "ok"));
        await using var harness = await DeliveryHarness.StartAsync();
        harness.Channels.Add("acme", AlertChannel.Slack("team", receiver.Url("/services/T000/B000/XXXX")));
        var notice = Notices.Threshold() with { Message = "alice-daily reached 75% <of> its limit & more" };
        var request = DeliveryRequest.For(notice, "team");

        await harness.Outbox.EnqueueAsync([request]);
        var delivered = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Delivered);

        Assert.Equal(AlertChannelType.Slack, delivered.ChannelType);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T000/B000/XXXX", received.Path);
        Assert.StartsWith("application/json", received.Header("content-type"));
        Assert.Equal("", received.Header("webhook-signature"));

        using var json = JsonDocument.Parse(received.Body);
        var root = json.RootElement;
        Assert.Equal("alice-daily crossed 75% of its cost limit: alice-daily reached 75% <of> its limit & more", root.GetProperty("text").GetString());
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("alice-daily crossed 75% of its cost limit", blocks[0].GetProperty("text").GetProperty("text").GetString());
        // mrkdwn escapes what Slack would read as links or mentions.
        Assert.Equal("alice-daily reached 75% &lt;of&gt; its limit &amp; more", blocks[1].GetProperty("text").GetProperty("text").GetString());
        var fields = blocks[1].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains("*Spent*\n8.00 USD", fields);
        Assert.Contains("*Limit*\n10.00 USD", fields);
        Assert.Contains("*Utilization*\n80%", fields);
        Assert.Contains("*State*\nwarning", fields);
        Assert.Contains("*Period ends*\n2026-12-02 00:00:00 +01:00", fields);
        Assert.Contains("al-1", blocks[2].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_Slack_error_answer_is_a_failed_attempt_with_the_answer()
    {
        receiver.Respond = (_, _) => Task.FromResult((404, "no_service"));
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string> { ["Delivery:MaxAttempts"] = "1" });
        harness.Channels.Add("acme", AlertChannel.Slack("team", receiver.Url("/services/gone")));
        var request = DeliveryRequest.For(Notices.Threshold(), "team");

        await harness.Outbox.EnqueueAsync([request]);
        var failed = await harness.Sink.WaitForAsync(request.MessageId, DeliveryStatus.Failed);

        Assert.Equal("HTTP 404 Not Found: no_service", failed.Error);
    }
}
