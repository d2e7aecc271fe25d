namespace BudgetActors.Pricing;

/// <summary>
/// Prices in currency units per million tokens for each kind of billable token, with every default
/// already applied (a cached read with no discount costs <see cref="Input"/>, reasoning with no price
/// of its own costs <see cref="Output"/>, and so on).
/// </summary>
public sealed record TokenRates(
    decimal Input,
    decimal CachedInput,
    decimal CacheWrite5m,
    decimal CacheWrite1h,
    decimal Output,
    decimal Reasoning)
{
    /// <summary>Rates where every input-like kind costs <paramref name="input"/> and every output-like kind <paramref name="output"/>.</summary>
    public static TokenRates Flat(decimal input, decimal output) => new(input, input, input, input, output, output);

    internal TokenRates Times(decimal multiplier) => new(
        Input * multiplier, CachedInput * multiplier, CacheWrite5m * multiplier,
        CacheWrite1h * multiplier, Output * multiplier, Reasoning * multiplier);

    internal IEnumerable<decimal> All => [Input, CachedInput, CacheWrite5m, CacheWrite1h, Output, Reasoning];
}

/// <summary>Rates that replace the normal ones for the WHOLE request once its prompt exceeds the threshold.</summary>
/// <param name="ThresholdInputTokens">
/// A request whose prompt (uncached + cached + cache-write input tokens) is strictly greater than this
/// is priced entirely at <paramref name="Rates"/>; at or below it, at the normal rates.
/// </param>
public sealed record LongContextPrices(long ThresholdInputTokens, TokenRates Rates);

/// <summary>The prices of one tier of one dated price entry.</summary>
public sealed record TierPrices(TokenRates Rates, LongContextPrices? LongContext = null)
{
    /// <summary>Whether a prompt of this many tokens is repriced at the long-context rates.</summary>
    public bool IsLongContext(long promptTokens) => LongContext is { } longContext && promptTokens > longContext.ThresholdInputTokens;

    /// <summary>The rates that apply to a whole request whose prompt has this many tokens.</summary>
    public TokenRates RatesFor(long promptTokens) => IsLongContext(promptTokens) ? LongContext!.Rates : Rates;
}
