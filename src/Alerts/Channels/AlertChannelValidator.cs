using Microsoft.Extensions.Options;

namespace BudgetActors.Alerts;

/// <summary>
/// <see cref="ChannelRules.ValidateAsync"/> with the host's policy (<c>Alerts:AllowInsecureUrls</c>,
/// <c>Alerts:AllowPrivateNetworks</c>) and resolver: what a channel change runs before it is saved.
/// </summary>
public sealed class AlertChannelValidator(IOptions<AlertOptions> options, IHostResolver resolver)
{
    public NetworkPolicy Policy { get; } = options.Value.NetworkPolicy;

    public Task<ChannelErrors> ValidateAsync(string? channelId, string? type, string? url, IReadOnlyList<string?>? to, CancellationToken cancellationToken = default) =>
        ChannelRules.ValidateAsync(channelId, type, url, to, Policy, resolver, cancellationToken);

    public Task<ChannelErrors> ValidateAsync(AlertChannel channel, CancellationToken cancellationToken = default) =>
        ValidateAsync(channel.Id, channel.Type.ToWire(), channel.Url, channel.Type == AlertChannelType.Email ? [.. channel.Recipients] : null, cancellationToken);
}
