namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.ProblemKind")]
public enum ProblemKind
{
    TenantNotFound,
    BudgetNotFound,
    ReservationNotFound,
    Conflict,
    InvalidRequest,
}
