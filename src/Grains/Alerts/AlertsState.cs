using BudgetActors.Alerts;

namespace BudgetActors.Grains.Alerts;

/// <summary>What a tenant's alerts grain keeps in storage.</summary>
[GenerateSerializer, Alias("BudgetActors.Grains.Alerts.AlertsState")]
public sealed class AlertsState
{
    [Id(0)] public Dictionary<string, AlertChannel> Channels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The feed, oldest first, at most <see cref="AlertsGrain.FeedSize"/> alerts (older ones stay in the audit trail).</summary>
    [Id(1)] public List<AlertView> Alerts { get; set; } = [];

    [Id(2)] public long LastSequence { get; set; }

    /// <summary>Trigger keys already handled, with when: a repeated trigger changes nothing.</summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> Handled { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When alerts were last sent, per budget and channel (<c>budget|channel</c>), the last hour's: cooldown and maxPerHour.</summary>
    [Id(4)] public Dictionary<string, List<DateTimeOffset>> Sends { get; set; } = new(StringComparer.Ordinal);
}
