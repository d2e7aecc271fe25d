using BudgetActors.Alerts.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BudgetActors.Alerts.Tests;

/// <summary>The records a host keeps in grain state or passes between grains cross Orleans' serializer exactly.</summary>
public sealed class SerializationTests
{
    private readonly Serializer serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Channels_notices_requests_and_outcomes_round_trip()
    {
        var webhook = AlertChannel.Webhook("hook", "https://hooks.example.com/x", ChannelSecrets.Generate());
        var email = AlertChannel.Email("mail", ["ops@acme.test", "cfo@acme.test"]);
        var request = DeliveryRequest.For(Notices.Threshold(), "hook", DeliveryPurposes.Escalation);
        var outcome = new DeliveryOutcome(request, DeliveryStatus.Pending, 2, "HTTP 500", Notices.CreatedAt, Notices.CreatedAt.AddMinutes(1), AlertChannelType.Webhook);

        var copy = RoundTrip(webhook);
        Assert.Equal((webhook.Id, webhook.Type, webhook.Url, webhook.Secret), (copy.Id, copy.Type, copy.Url, copy.Secret));
        Assert.Empty(copy.Recipients);
        Assert.Equal(["ops@acme.test", "cfo@acme.test"], RoundTrip(email).Recipients.ToArray());
        Assert.Equal(request, RoundTrip(request));
        Assert.Equal(outcome, RoundTrip(outcome));
        Assert.Equal("8.00", RoundTrip(request).Notice.Spent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_channel_never_shows_its_secret_in_text()
    {
        var secret = ChannelSecrets.Generate();
        var text = AlertChannel.Webhook("hook", "https://hooks.example.com/x", secret).ToString();
        Assert.DoesNotContain(secret, text);
        Assert.Contains("Secret = ***", text);
    }

    private T RoundTrip<T>(T value) => serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
}
