namespace BudgetActors.Grains.Alerts;

/// <summary>Sends a <c>budget.test</c> message to a channel now and says how it went (a stateless worker: a slow endpoint blocks no tenant's alerts).</summary>
[Alias("BudgetActors.Grains.Alerts.IChannelTesterGrain")]
public interface IChannelTesterGrain : IGrainWithIntegerKey
{
    [Alias("Test")]
    Task<ChannelTestResult> Test(string tenantId, string channelId);
}
