namespace BudgetActors.Grains.Admission;

/// <summary>Turns the amount a request states into the exact amount budgets are charged or asked to hold.</summary>
public interface IAmountPricer
{
    /// <exception cref="BudgetActorsException">An InvalidRequest problem when the amount cannot be priced.</exception>
    ValueTask<Amount> PriceAsync(TenantInfo tenant, AmountSpec spec, CancellationToken cancellationToken = default);
}

/// <summary>Prices amounts given directly (<c>estimate</c>, <c>actual</c>): cost rounded to micro-units.</summary>
public sealed class ExplicitAmountPricer : IAmountPricer
{
    public ValueTask<Amount> PriceAsync(TenantInfo tenant, AmountSpec spec, CancellationToken cancellationToken = default) =>
        spec switch
        {
            ExplicitAmount { Amount: var amount } => ValueTask.FromResult(amount with { Cost = Amount.RoundCost(amount.Cost) }),
            _ => throw new BudgetActorsException(ProblemKind.InvalidRequest,
                $"This deployment cannot price amounts of kind '{spec.GetType().Name}'."),
        };
}
