namespace BudgetActors.Grains.Alerts;

/// <param name="Acknowledged">true: acknowledged alerts only; false: open ones only; null: all.</param>
/// <param name="Before">A cursor: alerts older than this sequence (the feed runs newest first); 0 for the newest.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Alerts.AlertFeedQuery")]
public sealed record AlertFeedQuery(
    [property: Id(0)] bool? Acknowledged = null,
    [property: Id(1)] string? BudgetId = null,
    [property: Id(2)] long Before = 0,
    [property: Id(3)] int Limit = AlertFeedQuery.DefaultLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}
