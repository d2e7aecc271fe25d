namespace BudgetActors.Grains.Alerts;

/// <summary>One delivery of an alert as the feed shows it.</summary>
/// <param name="Purpose"><c>alert</c>, or <c>escalation</c> for the second message an unacknowledged alert sends.</param>
/// <param name="Status"><c>pending</c>, <c>delivered</c>, <c>failed</c> or <c>suppressed</c> (held back by cooldown or maxPerHour; never sent).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.AlertDeliveryView")]
public sealed record AlertDeliveryView(
    [property: Id(0)] string Channel,
    [property: Id(1)] string Purpose,
    [property: Id(2)] string Status,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? LastError);
