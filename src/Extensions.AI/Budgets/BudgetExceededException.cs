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

    /// <summary>Why, per budget that did not simply allow, most restrictive first: the figures, when it clears, a sentence.</summary>
    public IReadOnlyList<BudgetReason> Reasons { get; } = reservation.Reasons;

    /// <summary>The earliest time a refusal clears by itself, if one does (the service's <c>Retry-After</c>).</summary>
    public DateTimeOffset? RetryAfter { get; } = reservation.Reasons.Where(r => r.Decision == Decision.Block).Min(r => r.RetryAfter);

    private static string Describe(string tenant, BudgetReservation reservation)
    {
        var decision = reservation.Decision.ToString().ToLowerInvariant();
        if (reservation.Reasons.Where(r => r.Decision == Decision.Block).Select(r => r.Message).ToList() is { Count: > 0 } why)
        {
            return $"Tenant '{tenant}' refused the chat call: {string.Join(" ", why)}";
        }

        return reservation.BlockedBy.Count switch
        {
            0 => $"The budgets of tenant '{tenant}' refused the chat call (decision {decision}) without naming a budget.",
            1 => $"Budget '{reservation.BlockedBy[0]}' of tenant '{tenant}' refused the chat call (decision {decision}).",
            _ => $"Budgets {string.Join(", ", reservation.BlockedBy.Select(b => $"'{b}'"))} of tenant '{tenant}' refused the chat call (decision {decision}).",
        };
    }
}
