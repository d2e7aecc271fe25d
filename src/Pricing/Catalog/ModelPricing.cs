namespace BudgetActors.Pricing;

/// <summary>Everything the catalog (or a tenant override) knows about pricing and counting tokens for one model.</summary>
/// <param name="Id">The canonical model id.</param>
/// <param name="Aliases">Other names that resolve to this entry: dated snapshots, "-latest" names, cloud-specific ids.</param>
/// <param name="Tokenizer">How to estimate token counts for this model's prompts.</param>
/// <param name="UsageShape">How this model's provider reports usage, used when a usage does not say.</param>
/// <param name="Prices">Dated price entries, oldest first; at least one.</param>
public sealed record ModelPricing(
    string Id,
    string Provider,
    IReadOnlyList<string> Aliases,
    TokenizerSpec Tokenizer,
    UsageShape UsageShape,
    IReadOnlyList<PriceSheet> Prices)
{
    /// <summary>
    /// The entry in effect at <paramref name="at"/> (compared as a UTC date): the latest one whose
    /// effective date is on or before it. A date earlier than every entry gets the earliest entry:
    /// the catalog does not know older prices, and the earliest is the best it has.
    /// </summary>
    public PriceSheet PriceAt(DateTimeOffset at) => PriceSheet.InEffect(Prices, at);

    /// <summary>All names of this entry: the id first, then the aliases.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Id);
}
