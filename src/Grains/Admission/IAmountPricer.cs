using BudgetActors.Domain.Jobs;

namespace BudgetActors.Grains.Admission;

/// <summary>Turns the amount a request states into the exact amount budgets are charged or asked to hold.</summary>
public interface IAmountPricer
{
    /// <param name="attributes">The request's attributes: a job is priced by its <c>queue</c> and <c>environment</c>.</param>
    /// <exception cref="BudgetActorsException">An InvalidRequest problem when the amount cannot be priced.</exception>
    ValueTask<Amount> PriceAsync(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default);
}

/// <summary>
/// Prices amounts given directly (<c>estimate</c>, <c>actual</c>: cost rounded to micro-units) and
/// jobs by the tenant's job cost model (one operation each).
/// </summary>
public class AmountPricer : IAmountPricer
{
    public virtual ValueTask<Amount> PriceAsync(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(spec switch
        {
            ExplicitAmount { Amount: var amount } => amount with { Cost = Amount.RoundCost(amount.Cost) },
            JobUsage job => new Amount(tenant.CostModel.Price(job, attributes.GetValueOrDefault("queue"), attributes.GetValueOrDefault("environment")).Total, 0, 1),
            _ => throw new BudgetActorsException(ProblemKind.InvalidRequest,
                $"This deployment cannot price amounts of kind '{spec.GetType().Name}'."),
        });
}
