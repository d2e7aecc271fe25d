using BudgetActors.Domain;
using BudgetActors.Domain.Jobs;
using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Admission;

/// <summary>Turns the amount a request states into the exact amount budgets are charged or asked to hold.</summary>
public interface IAmountPricer
{
    /// <param name="attributes">The request's attributes: a job is priced by its <c>queue</c> and <c>environment</c>.</param>
    /// <returns>The amount in the tenant's currency, with the exchange rate used when its cost came from catalog (USD) prices, and the detail of how an LLM usage or a job was priced.</returns>
    /// <exception cref="BudgetActorsException">An InvalidRequest problem naming the amount's field when it cannot be priced (for a catalog price, when the tenant has no exchange rate) or prices past the bounds of one request.</exception>
    ValueTask<PricedAmount> PriceAsync(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default);
}

/// <summary>
/// Prices amounts given directly (<c>estimate</c>, <c>actual</c>: cost rounded to micro-units) and
/// jobs by the tenant's job cost model (one operation each). Whatever the kind, the priced amount is
/// held to the bounds of one request (<see cref="RequestRules.PricedAmount"/>): this is the one place
/// every computed amount passes through.
/// </summary>
public class AmountPricer : IAmountPricer
{
    public ValueTask<PricedAmount> PriceAsync(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        var field = RequestRules.FieldOf(spec);
        PricedAmount amount;
        try
        {
            amount = Price(tenant, spec, attributes);
        }
        catch (OverflowException)
        {
            // A safety net: job pricing saturates rather than overflowing (JobCostCalculator), and LLM
            // prices of in-range counts stay far inside decimal; past its range is past the bound.
            throw BudgetActorsException.Invalid(field, "Prices at more than the 10^12 one request may cost.");
        }

        return ValueTask.FromResult(amount with { Amount = Bounded(amount.Amount, field) });
    }

    /// <summary>The priced amount, or an InvalidRequest problem naming <paramref name="field"/> when it passes the bounds of one request.</summary>
    public static Amount Bounded(Amount amount, string field)
    {
        var errors = new RequestErrors();
        RequestRules.PricedAmount(amount, field, errors);
        BudgetActorsException.ThrowIfAny(errors);
        return amount;
    }

    /// <summary>The amount of one spec; may throw <see cref="OverflowException"/> for absurd inputs.</summary>
    protected virtual PricedAmount Price(TenantDirectory tenant, AmountSpec spec, IReadOnlyDictionary<string, string> attributes) => spec switch
    {
        // Both in the tenant's currency already: stated by the caller, or priced by the tenant's own weights.
        ExplicitAmount { Amount: var amount } => new(amount with { Cost = Amount.RoundCost(amount.Cost) }),
        JobUsage job => Job(tenant, job, attributes),
        _ => throw BudgetActorsException.Invalid(RequestRules.FieldOf(spec), $"This deployment cannot price amounts of kind '{spec.GetType().Name}'."),
    };

    private static PricedAmount Job(TenantDirectory tenant, JobUsage job, IReadOnlyDictionary<string, string> attributes)
    {
        var price = tenant.CostModel.Price(job, attributes.GetValueOrDefault("queue"), attributes.GetValueOrDefault("environment"));
        return new PricedAmount(new Amount(price.Total, 0, 1), Detail: SpendDetails.ForJob(job, price));
    }
}
