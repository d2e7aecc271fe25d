namespace BudgetActors.Pricing;

/// <summary>
/// One dated price entry of a model: the prices in effect from <see cref="EffectiveFrom"/> until the
/// model's next entry, per tier. <see cref="ServiceTier.Standard"/> is always present.
/// </summary>
/// <param name="Source">Where the price was read (the provider's pricing page); null only for tenant overrides.</param>
/// <param name="AsOf">The latest date the price was known to be listed at <paramref name="Source"/>.</param>
/// <param name="Note">Free text: caveats, uncertainty, what is not modelled.</param>
public sealed record PriceSheet(
    DateOnly EffectiveFrom,
    IReadOnlyDictionary<ServiceTier, TierPrices> Tiers,
    string? Source = null,
    DateOnly? AsOf = null,
    string? Note = null)
{
    /// <summary>A sheet with standard-tier prices only, in effect since forever (handy for tenant defaults built in code).</summary>
    public static PriceSheet StandardOnly(TokenRates rates, LongContextPrices? longContext = null) =>
        new(DateOnly.MinValue, new Dictionary<ServiceTier, TierPrices> { [ServiceTier.Standard] = new(rates, longContext) });

    public TierPrices Standard => Tiers[ServiceTier.Standard];

    /// <summary>
    /// The latest of <paramref name="sheets"/> in effect on the UTC date of <paramref name="at"/>, or the
    /// earliest when every one is later. Does not assume the list is sorted (overrides may be built in code).
    /// </summary>
    internal static PriceSheet InEffect(IReadOnlyList<PriceSheet> sheets, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        PriceSheet? inEffect = null;
        var earliest = sheets[0];
        foreach (var sheet in sheets)
        {
            if (sheet.EffectiveFrom <= day && (inEffect is null || sheet.EffectiveFrom > inEffect.EffectiveFrom)) inEffect = sheet;
            if (sheet.EffectiveFrom < earliest.EffectiveFrom) earliest = sheet;
        }
        return inEffect ?? earliest;
    }
}
