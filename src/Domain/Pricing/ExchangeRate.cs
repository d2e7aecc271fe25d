namespace BudgetActors;

/// <summary>
/// How much of a tenant's currency one US dollar is (<see cref="Usd"/>), as of a date: what turns
/// the catalog's prices, which are in USD, into the tenant's money. The rate in force is the last
/// one the tenant set; an amount keeps the rate it was priced at (answers name it), so setting a new
/// rate never changes what was already charged or held.
/// </summary>
/// <param name="Currency">The tenant's currency (ISO 4217), what one USD is converted into.</param>
/// <param name="Usd">Units of <paramref name="Currency"/> per USD, exact as the tenant sent it.</param>
/// <param name="AsOf">The date the rate is of (the tenant's word: a reference rate's publication day, say).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ExchangeRate")]
public sealed record ExchangeRate(
    [property: Id(0)] string Currency,
    [property: Id(1)] decimal Usd,
    [property: Id(2)] DateOnly AsOf)
{
    /// <summary>The currency of the pricing catalog.</summary>
    public const string CatalogCurrency = "USD";

    /// <summary>
    /// A USD amount in the tenant's currency: the exact product, rounded once, half to even, to the
    /// six places money is kept to. Give the USD figure unrounded where there is one (an LLM cost's
    /// components), so that it is not rounded twice.
    /// </summary>
    public decimal Convert(decimal usd) => Math.Round(usd * Usd, Amount.CostScale, MidpointRounding.ToEven);
}
