using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <param name="Secret">A new webhook channel's signing secret, shown this once; null otherwise.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.ChannelSaved")]
public sealed record ChannelSaved(
    [property: Id(0)] AlertChannel Channel,
    [property: Id(1)] bool Created,
    [property: Id(2)] string? Secret);
