using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <summary>The delivery worker's view of channels: the tenant's alerts grain, asked at every attempt.</summary>
public sealed class GrainChannelResolver(IGrainFactory grains) : IChannelResolver
{
    public Task<AlertChannel?> FindAsync(string tenant, string channelId, CancellationToken cancellationToken) =>
        grains.GetGrain<IAlertsGrain>(tenant).GetChannel(channelId);
}
