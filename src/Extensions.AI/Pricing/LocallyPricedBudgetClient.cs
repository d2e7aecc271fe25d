namespace BudgetActors.Extensions.AI;

/// <summary>
/// Prices <see cref="LlmEstimate"/> and <see cref="LlmUsage"/> with an <see cref="ILlmPricer"/> and sends
/// the results as explicit <c>estimate</c> / <c>actual</c> amounts; anything else passes through.
/// For deployments without server-side pricing: the budgets then hold and charge what the caller's
/// rate card says.
/// </summary>
public sealed class LocallyPricedBudgetClient(IBudgetClient inner, ILlmPricer pricer) : IBudgetClient
{
    public Task<BudgetReservation> ReserveAsync(BudgetReservationRequest request, CancellationToken cancellationToken = default) =>
        inner.ReserveAsync(request with { Estimate = Price(request.Estimate) }, cancellationToken);

    public Task<BudgetCommit> CommitAsync(string tenant, string reservationId, AmountSpec actual, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(tenant, reservationId, Price(actual), cancellationToken);

    public Task<BudgetRelease> ReleaseAsync(string tenant, string reservationId, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(tenant, reservationId, cancellationToken);

    private AmountSpec Price(AmountSpec spec) => spec switch
    {
        LlmEstimate estimate => new ExplicitAmount(pricer.PriceEstimate(estimate)),
        LlmUsage usage => new ExplicitAmount(pricer.PriceUsage(usage)),
        _ => spec,
    };
}

public static class BudgetClientPricingExtensions
{
    /// <summary>
    /// Wraps <paramref name="client"/> so that LLM amounts are priced here by <paramref name="pricer"/> and
    /// sent as explicit amounts: the mode for a server that does not price <c>llm</c> / <c>llmUsage</c>.
    /// </summary>
    public static IBudgetClient WithLocalPricing(this IBudgetClient client, ILlmPricer pricer) => new LocallyPricedBudgetClient(client, pricer);
}
