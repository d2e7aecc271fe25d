namespace BudgetActors.Grains.Alerts;

/// <summary>What happened to a <c>budget.test</c> message sent to a channel at once.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.ChannelTestResult")]
public sealed record ChannelTestResult(
    [property: Id(0)] string MessageId,
    [property: Id(1)] bool Delivered,
    [property: Id(2)] string? Error);
