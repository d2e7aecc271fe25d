using Microsoft.ML.Tokenizers;

namespace BudgetActors.Pricing;

/// <summary>
/// One tokenizer per encoding for the whole process, created on first use from the data packages
/// compiled into the app (Microsoft.ML.Tokenizers.Data.O200kBase / .Cl100kBase): nothing is
/// downloaded at run time. Creating one parses a vocabulary of 100k–200k ranks (tens of
/// milliseconds), so they are built once; counting with them is thread-safe.
/// </summary>
internal static class TiktokenEncodings
{
    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Tokenizer For(TokenEncoding encoding) => encoding switch
    {
        TokenEncoding.O200kBase => O200k.Value,
        TokenEncoding.Cl100kBase => Cl100k.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a tiktoken encoding."),
    };
}
