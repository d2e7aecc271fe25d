namespace BudgetActors;

/// <summary>
/// A page of a tenant's audit trail: events after <paramref name="After"/> (a cursor: the last id of
/// the page before), oldest first, optionally of one budget or type and within [since, until).
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? BudgetId = null,
    [property: Id(2)] string? Type = null,
    [property: Id(3)] DateTimeOffset? Since = null,
    [property: Id(4)] DateTimeOffset? Until = null,
    [property: Id(5)] long After = 0,
    [property: Id(6)] int Limit = AuditQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
