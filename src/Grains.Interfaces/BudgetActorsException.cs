namespace BudgetActors;

/// <summary>
/// A refusal that callers are expected to handle: it crosses grain calls intact, and the HTTP host
/// maps its <see cref="Kind"/> to a status (404, 409, 400).
/// </summary>
[GenerateSerializer, Alias("BudgetActors.BudgetActorsException")]
public sealed class BudgetActorsException(ProblemKind kind, string message) : Exception(message)
{
    [Id(0)]
    public ProblemKind Kind { get; } = kind;

    public static BudgetActorsException TenantNotFound(string tenantId) =>
        new(ProblemKind.TenantNotFound, $"Tenant '{tenantId}' does not exist.");

    public static BudgetActorsException ReservationNotFound(string reservationId) =>
        new(ProblemKind.ReservationNotFound, $"Reservation '{reservationId}' does not exist.");
}
