namespace BudgetActors;

/// <summary>
/// A page of a tenant's spend records, newest first: those below <paramref name="Before"/> (a cursor:
/// the ledger sequence of the last record of the page before; null for the first page), optionally
/// of one budget, user, model or queue, and recorded within [since, until).
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.RecordsQuery")]
public sealed record RecordsQuery(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? BudgetId = null,
    [property: Id(2)] string? User = null,
    [property: Id(3)] string? Model = null,
    [property: Id(4)] string? Queue = null,
    [property: Id(5)] DateTimeOffset? Since = null,
    [property: Id(6)] DateTimeOffset? Until = null,
    [property: Id(7)] long? Before = null,
    [property: Id(8)] int Limit = RecordsQuery.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
