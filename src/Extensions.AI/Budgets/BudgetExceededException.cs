namespace BudgetActors.Extensions.AI;

/// <summary>
/// A budget refused to hold the estimate of a chat call, so the model was not called. The budgets
/// that refused are in <see cref="BlockedBy"/>; the whole answer (every applicable budget's status)
/// is in <see cref="Reservation"/>.
/// </summary>
public sealed class BudgetExceededException(string tenant, BudgetReservation reservation)
    : Exception(Describe(tenant, reservation))
{
    public string Tenant { get; } = tenant;

    /// <summary>Ids of the budgets that refused; may be empty if the service did not name one.</summary>
    public IReadOnlyList<string> BlockedBy { get; } = reservation.BlockedBy;

    /// <summary>The decision of the refusal (normally <see cref="Decision.Block"/>).</summary>
    public Decision Decision { get; } = reservation.Decision;

    public BudgetReservation Reservation { get; } = reservation;

    private static string Describe(string tenant, BudgetReservation reservation)
    {
        var decision = reservation.Decision.ToString().ToLowerInvariant();
        return reservation.BlockedBy.Count switch
        {
            0 => $"The budgets of tenant '{tenant}' refused the chat call (decision {decision}) without naming a budget.",
            1 => $"Budget '{reservation.BlockedBy[0]}' of tenant '{tenant}' refused the chat call (decision {decision}).",
            _ => $"Budgets {string.Join(", ", reservation.BlockedBy.Select(b => $"'{b}'"))} of tenant '{tenant}' refused the chat call (decision {decision}).",
        };
    }
}
