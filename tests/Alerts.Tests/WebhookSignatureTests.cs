using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace BudgetActors.Alerts.Tests;

public sealed class WebhookSignatureTests
{
    // The example of the Standard Webhooks specification (and of its reference libraries).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signs_the_specifications_example_as_the_specification_does()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
        Assert.Equal(SpecSignature, new StandardWebhook(SpecSecret).Sign(SpecId, DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp), SpecBody));
    }

    [Fact]
    public void Verifies_one_of_several_signatures_and_refuses_any_change()
    {
        var body = Encoding.UTF8.GetBytes(SpecBody);
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp, body, SpecSignature));
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp, body, "v1,bm90IGl0 " + SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp + 1, body, SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId + "x", SpecTimestamp, body, SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp, body, "v2," + SpecSignature[3..]));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecId, SpecTimestamp, body, ""));
    }

    [Fact]
    public void Generated_secrets_are_whsec_and_base64_of_at_least_24_random_bytes()
    {
        var secrets = Enumerable.Range(0, 50).Select(_ => ChannelSecrets.Generate()).ToList();
        Assert.Equal(50, secrets.Distinct().Count());
        Assert.All(secrets, secret =>
        {
            Assert.StartsWith("whsec_", secret);
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            Assert.True(key.Length >= 24);
            Assert.True(ChannelSecrets.TryGetKey(secret, out var parsed));
            Assert.Equal(key, parsed);
        });

        // A signature made with a generated secret is one the reference implementation accepts.
        var secret = secrets[0];
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign(secret, "msg_1", now.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes("{}"));
        new StandardWebhook(secret).Verify("{}", new HeaderDictionary
        {
            ["webhook-id"] = "msg_1",
            ["webhook-timestamp"] = now.ToUnixTimeSeconds().ToString(),
            ["webhook-signature"] = signature,
        });
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_c2hvcnQ=")]
    [InlineData("whsec_not base64!")]
    [InlineData(null)]
    public void Secrets_of_another_shape_are_refused(string? secret) => Assert.False(ChannelSecrets.IsValid(secret));

    [Fact]
    public void Message_ids_are_deterministic_per_alert_channel_and_purpose()
    {
        var id = MessageIds.For("acme", "al-1", "hook", DeliveryPurposes.Alert);
        Assert.Equal(id, MessageIds.For("acme", "al-1", "hook", DeliveryPurposes.Alert));
        Assert.Matches("^msg_[0-9a-f]{32}$", id);
        Assert.NotEqual(id, MessageIds.For("acme", "al-1", "hook", DeliveryPurposes.Escalation));
        Assert.NotEqual(id, MessageIds.For("acme", "al-1", "hook2", DeliveryPurposes.Alert));
        Assert.NotEqual(id, MessageIds.For("acme2", "al-1", "hook", DeliveryPurposes.Alert));
        // Parts cannot run into each other.
        Assert.NotEqual(MessageIds.For("a", "bc", "d", "e"), MessageIds.For("ab", "c", "d", "e"));
    }
}
