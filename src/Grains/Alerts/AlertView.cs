using System.Collections.Immutable;

namespace BudgetActors.Grains.Alerts;

/// <summary>One alert of the feed (API.md, <c>GET …/alerts</c>).</summary>
/// <param name="Sequence">Its place in the tenant's feed (the cursor): later alerts have larger ones.</param>
/// <param name="Type">The webhook type, such as <c>budget.threshold_crossed</c>.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.AlertView")]
public sealed record AlertView(
    [property: Id(0)] string Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Type,
    [property: Id(3)] string BudgetId,
    [property: Id(4)] decimal? Threshold,
    [property: Id(5)] decimal Utilization,
    [property: Id(6)] string Message,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] ImmutableArray<AlertDeliveryView> Deliveries,
    [property: Id(9)] DateTimeOffset? AcknowledgedAt = null,
    [property: Id(10)] string? AcknowledgedBy = null,
    [property: Id(11)] DateTimeOffset? EscalatedAt = null,
    [property: Id(12)] DateTimeOffset? EscalateAt = null);
