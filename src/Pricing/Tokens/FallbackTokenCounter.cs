using System.Text;

namespace BudgetActors.Pricing;

/// <summary>
/// The estimate for models whose tokenizer this library does not have (Claude, Gemini, Llama,
/// Mistral, DeepSeek, Grok, custom models): characters divided by a per-model ratio (4 by default,
/// OpenAI's and Google's rule of thumb for English; 3.5 for Claude; 3.3 for DeepSeek, from their
/// docs), rounded up. A CJK, Hangul or kana character, an emoji, or any other character from U+2E80
/// up counts as one token on its own: BPE tokenizers spend up to about one token on each (cl100k
/// about one, o200k fewer), and dividing them by 4 would undercount such text up to fourfold, so
/// this errs on the side of holding too much. The catalog's error margin (±25% by default) is
/// stated for English prose and ordinary code; digit-heavy or whitespace-heavy text can be off by
/// more (most tokenizers spend a token per 1–3 digits).
/// </summary>
internal static class FallbackTokenCounter
{
    private const int FirstWideCodePoint = 0x2E80;

    public static long Count(string text, decimal charsPerToken)
    {
        long narrow = 0, wide = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value >= FirstWideCodePoint) wide++;
            else narrow++;
        }
        return (long)Math.Ceiling(narrow / charsPerToken) + wide;
    }
}
