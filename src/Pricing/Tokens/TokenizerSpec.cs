namespace BudgetActors.Pricing;

/// <summary>The BPE encodings this library counts exactly, plus the fallback estimate for every other model.</summary>
public enum TokenEncoding
{
    /// <summary>No known tokenizer: characters divided by a per-model ratio, with a stated error margin.</summary>
    Fallback,
    /// <summary>tiktoken <c>o200k_base</c>: GPT-4o, GPT-4.1, o-series, GPT-5.</summary>
    O200kBase,
    /// <summary>tiktoken <c>cl100k_base</c>: GPT-4, GPT-4 Turbo, GPT-3.5 Turbo, text-embedding-3.</summary>
    Cl100kBase,
}

/// <summary>How to count a model's tokens.</summary>
/// <param name="CharsPerToken">Fallback only: characters (outside CJK and emoji) per token.</param>
/// <param name="ErrorMargin">Fallback only: the relative error the estimate is believed to stay within (0.25 = ±25%).</param>
public sealed record TokenizerSpec(TokenEncoding Encoding, decimal CharsPerToken = 4m, decimal ErrorMargin = 0.25m)
{
    public static TokenizerSpec O200kBase { get; } = new(TokenEncoding.O200kBase, 0m, 0m);
    public static TokenizerSpec Cl100kBase { get; } = new(TokenEncoding.Cl100kBase, 0m, 0m);

    public static TokenizerSpec Fallback(decimal charsPerToken, decimal errorMargin) =>
        charsPerToken > 0 && errorMargin >= 0
            ? new(TokenEncoding.Fallback, charsPerToken, errorMargin)
            : throw new ArgumentOutOfRangeException(nameof(charsPerToken), "The ratio must be positive and the margin not negative.");

    /// <summary>The name used in the catalog and in <see cref="TokenEstimate.Encoding"/>.</summary>
    public string Name => Encoding switch
    {
        TokenEncoding.O200kBase => "o200k_base",
        TokenEncoding.Cl100kBase => "cl100k_base",
        _ => $"fallback(chars/{CharsPerToken.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
    };
}
