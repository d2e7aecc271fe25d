namespace BudgetActors.Alerts;

/// <summary>Implemented by the host: a channel's current definition, looked up at every attempt.</summary>
public interface IChannelResolver
{
    /// <summary>
    /// The channel, or null if the tenant has no such channel (deleted): the delivery then fails at
    /// once with "no such channel". An exception counts as a failed attempt and is retried.
    /// </summary>
    Task<AlertChannel?> FindAsync(string tenant, string channelId, CancellationToken cancellationToken);
}
