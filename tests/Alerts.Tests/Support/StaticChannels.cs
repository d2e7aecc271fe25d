using System.Collections.Concurrent;

namespace BudgetActors.Alerts.Tests.Support;

/// <summary>The host's channel lookup, as a dictionary the test fills (and empties, to delete a channel).</summary>
public sealed class StaticChannels : IChannelResolver
{
    private readonly ConcurrentDictionary<(string Tenant, string Id), AlertChannel> _channels = new();

    public StaticChannels Add(string tenant, AlertChannel channel)
    {
        _channels[(tenant, channel.Id)] = channel;
        return this;
    }

    public void Remove(string tenant, string id) => _channels.TryRemove((tenant, id), out _);

    public Task<AlertChannel?> FindAsync(string tenant, string channelId, CancellationToken cancellationToken) =>
        Task.FromResult(_channels.TryGetValue((tenant, channelId), out var channel) ? channel : null);
}
