namespace BudgetActors.Extensions.AI;

/// <summary>
/// The three admission calls the chat middleware needs, whatever carries them: the HTTP API
/// (<see cref="HttpBudgetClient"/>) or the cluster (<see cref="GrainBudgetClient"/>).
/// </summary>
/// <remarks>
/// Amounts are the contract's <see cref="AmountSpec"/> kinds: <see cref="LlmEstimate"/> and
/// <see cref="LlmUsage"/> (priced by the server), or <see cref="ExplicitAmount"/> (priced by the caller,
/// see <see cref="BudgetClientPricingExtensions.WithLocalPricing"/>). Errors of the budget service are
/// thrown as <see cref="BudgetApiException"/>; a refused reservation is not an error but an answer
/// with <see cref="BudgetReservation.Granted"/> false.
/// </remarks>
public interface IBudgetClient
{
    /// <summary>Holds the estimate on every applicable budget, or on none.</summary>
    Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Charges what was really spent; it replaces the hold and may exceed it. A repeated commit returns the first result.</summary>
    Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default);

    /// <summary>Frees the hold.</summary>
    Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default);
}

/// <summary>A reservation to ask for: the <c>POST /v1/tenants/{tenant}/reservations</c> body.</summary>
/// <param name="Attributes">Usage attributes (user, project, model, …) that select the budgets.</param>
/// <param name="Estimate">What the call is expected to cost.</param>
/// <param name="Ttl">How long the hold lasts if neither committed nor released (whole seconds on the wire).</param>
/// <param name="IdempotencyKey">A retried reservation with the same key is granted once.</param>
public sealed record BudgetReservationRequest(
    string Tenant,
    IReadOnlyDictionary<string, string> Attributes,
    AmountSpec Estimate,
    TimeSpan Ttl,
    string? IdempotencyKey = null,
    int Priority = 0);
