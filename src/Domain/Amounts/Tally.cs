namespace BudgetActors;

/// <summary>
/// A running total of amounts: what a budget has spent or holds in a period. One request is an
/// <see cref="Amount"/> (bounded: cost ≤ 10^12, counts ≤ 10^15); totals grow without bound, since
/// spend that happened is never refused, so every metric is a <see cref="decimal"/>: about 7.9 × 10^28,
/// reached only after some 10^13 maximal requests, and checked arithmetic that throws rather than
/// wraps past it.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Tally")]
public sealed record Tally(
    [property: Id(0)] decimal Cost,
    [property: Id(1)] decimal Tokens,
    [property: Id(2)] decimal Operations)
{
    public static readonly Tally Zero = new(0m, 0m, 0m);

    public static Tally Of(Amount amount) => new(amount.Cost, amount.Tokens, amount.Operations);

    /// <summary>The figure of one metric by its name in the API: <c>cost</c>, <c>tokens</c> or <c>operations</c>.</summary>
    public decimal Of(string metric) => metric switch
    {
        "cost" => Cost,
        "tokens" => Tokens,
        "operations" => Operations,
        _ => throw new ArgumentException($"Unknown metric '{metric}': cost, tokens or operations.", nameof(metric)),
    };

    public static Tally operator +(Tally a, Amount b) => new(a.Cost + b.Cost, a.Tokens + b.Tokens, a.Operations + b.Operations);

    public static Tally operator -(Tally a, Amount b) => new(a.Cost - b.Cost, a.Tokens - b.Tokens, a.Operations - b.Operations);

    public static Tally operator +(Tally a, Tally b) => new(a.Cost + b.Cost, a.Tokens + b.Tokens, a.Operations + b.Operations);
}
