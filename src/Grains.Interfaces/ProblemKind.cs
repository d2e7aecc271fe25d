namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.ProblemKind")]
public enum ProblemKind
{
    TenantNotFound,
    BudgetNotFound,
    ReservationNotFound,
    Conflict,
    InvalidRequest,

    /// <summary>Something else the request names does not exist (an override, an alert, a channel).</summary>
    NotFound,

    /// <summary>The caller may not do this, whatever its role (a key approving its own override).</summary>
    Forbidden,
}
