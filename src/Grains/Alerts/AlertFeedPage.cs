using System.Collections.Immutable;

namespace BudgetActors.Grains.Alerts;

/// <param name="Next">The cursor of the next (older) page, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.AlertFeedPage")]
public sealed record AlertFeedPage(
    [property: Id(0)] ImmutableArray<AlertView> Items,
    [property: Id(1)] long? Next);
