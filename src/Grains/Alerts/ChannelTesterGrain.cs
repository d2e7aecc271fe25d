using BudgetActors.Alerts;
using Orleans.Concurrency;

namespace BudgetActors.Grains.Alerts;

[StatelessWorker, Reentrant]
public sealed class ChannelTesterGrain(AlertDispatcher dispatcher, TimeProvider clock) : Grain, IChannelTesterGrain
{
    public async Task<ChannelTestResult> Test(string tenantId, string channelId)
    {
        var channel = await GrainFactory.GetGrain<IAlertsGrain>(tenantId).GetChannel(channelId)
            ?? throw BudgetActorsException.NotFound($"Channel '{channelId}'");
        var now = clock.GetUtcNow();
        var notice = new AlertNotice(AlertEventType.Test, tenantId, "-", $"test-{Guid.NewGuid():N}"[..21], null, 0m, "ok", 0m, null, null,
            $"A test message from BudgetActors to channel {channelId}.", now);
        var request = DeliveryRequest.For(notice, channelId, DeliveryPurposes.Test);
        var result = await dispatcher.SendAsync(channel, new DeliveryAttempt(request, 1, now), CancellationToken.None);
        return new ChannelTestResult(request.MessageId, result.Delivered, result.Error);
    }
}
