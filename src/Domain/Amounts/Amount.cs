namespace BudgetActors;

/// <summary>
/// What a request costs or holds on the three metrics a budget can limit. Cost is money in the
/// tenant's currency (exact decimal, kept to 6 places); tokens and operations are whole counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Amount")]
public sealed record Amount(
    [property: Id(0)] decimal Cost,
    [property: Id(1)] long Tokens,
    [property: Id(2)] long Operations)
{
    /// <summary>Money is kept to six decimal places (micro-units of the currency).</summary>
    public const int CostScale = 6;

    public static readonly Amount Zero = new(0m, 0, 0);

    public static Amount operator +(Amount a, Amount b) =>
        new(a.Cost + b.Cost, a.Tokens + b.Tokens, a.Operations + b.Operations);

    public static Amount operator -(Amount a, Amount b) =>
        new(a.Cost - b.Cost, a.Tokens - b.Tokens, a.Operations - b.Operations);

    /// <summary>Rounds the cost to <see cref="CostScale"/> places, half to even (banker's rounding).</summary>
    public static decimal RoundCost(decimal cost) => Math.Round(cost, CostScale, MidpointRounding.ToEven);
}
