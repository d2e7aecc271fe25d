namespace BudgetActors;

/// <summary>
/// One entry of a tenant's audit trail: a change someone made or a fact the system noticed.
/// </summary>
/// <param name="Id">Increasing within the tenant in the order events were stored; the trail's cursor.</param>
/// <param name="Actor">The API key id that caused it, <c>admin</c> for the bootstrap key, or <c>system</c>.</param>
/// <param name="Data">A JSON object with the event's details (its shape depends on <paramref name="Type"/>).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.AuditEvent")]
public sealed record AuditEvent(
    [property: Id(0)] long Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Actor,
    [property: Id(5)] string? BudgetId,
    [property: Id(6)] string Data);
