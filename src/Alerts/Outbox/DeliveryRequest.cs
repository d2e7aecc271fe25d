namespace BudgetActors.Alerts;

/// <summary>
/// One notice for one channel, as it enters the outbox. The channel is named, not copied: the
/// worker looks its current definition up at each attempt (<see cref="IChannelResolver"/>), so
/// secrets stay out of the outbox and a deleted channel stops receiving.
/// </summary>
/// <param name="MessageId">The delivery's identity, the <c>webhook-id</c> of every attempt; unique per tenant (<see cref="MessageIds"/>).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Alerts.DeliveryRequest")]
public sealed record DeliveryRequest(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string AlertId,
    [property: Id(2)] string ChannelId,
    [property: Id(3)] string MessageId,
    [property: Id(4)] AlertNotice Notice)
{
    /// <summary>The delivery of <paramref name="notice"/> to <paramref name="channelId"/> for <paramref name="purpose"/>, with its deterministic message id.</summary>
    public static DeliveryRequest For(AlertNotice notice, string channelId, string purpose = DeliveryPurposes.Alert) =>
        new(notice.Tenant, notice.AlertId, channelId, MessageIds.For(notice.Tenant, notice.AlertId, channelId, purpose), notice);

    /// <summary>Throws if the request does not hold together (the outbox keys rows by these fields).</summary>
    public void EnsureValid()
    {
        if (string.IsNullOrEmpty(Tenant) || string.IsNullOrEmpty(AlertId) || string.IsNullOrEmpty(ChannelId) || string.IsNullOrEmpty(MessageId))
        {
            throw new ArgumentException($"A delivery request needs a tenant, an alert id, a channel id and a message id: {this}.");
        }

        if (Notice.Tenant != Tenant || Notice.AlertId != AlertId)
        {
            throw new ArgumentException($"The request's tenant and alert id ({Tenant}, {AlertId}) differ from its notice's ({Notice.Tenant}, {Notice.AlertId}).");
        }
    }
}
