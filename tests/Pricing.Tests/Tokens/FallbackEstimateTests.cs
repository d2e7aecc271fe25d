namespace BudgetActors.Pricing.Tests.Tokens;

/// <summary>
/// Models without a known tokenizer: characters / ratio rounded up, one token per CJK character or
/// emoji, never exact, with the margin from the catalog.
/// </summary>
public sealed class FallbackEstimateTests
{
    private static readonly TokenizerSpec Four = TokenizerSpec.Fallback(4m, 0.25m);

    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 1)]          // ceil(3 / 4)
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]        // ceil(5 / 4)
    [InlineData("今天天气", 4)]       // one per CJK character
    [InlineData("hi 🙂🙂", 3)]       // ceil(3 / 4) + 2 emoji
    [InlineData("안녕 ok", 3)]        // ceil(3 / 4) for " ok" + 2 Hangul syllables
    public void Characters_over_the_ratio_rounded_up(string text, long expected)
    {
        var estimate = TokenEstimator.CountText(text, Four);
        Assert.Equal(expected, estimate.Tokens);
        Assert.False(estimate.Exact);
        Assert.Equal(0.25m, estimate.ErrorMargin);
    }

    [Fact]
    public void The_ratio_comes_from_the_model()
    {
        var claude = PriceCatalog.LoadDefault().Get("claude-sonnet-4").Tokenizer;
        var estimate = TokenEstimator.CountText(new string('x', 35), claude);
        Assert.Equal(10, estimate.Tokens); // 35 / 3.5
        Assert.Equal("fallback(chars/3.5)", estimate.Encoding);
    }

    [Fact]
    public void The_upper_bound_adds_the_margin()
    {
        var estimate = TokenEstimator.CountText(new string('x', 400), Four);
        Assert.Equal(100, estimate.Tokens);
        Assert.Equal(125, estimate.UpperBound);
    }

    /// <summary>
    /// A sanity check of the stated ±25% against a real BPE tokenizer on the kinds of text it is
    /// claimed for: English prose and ordinary code (see FallbackTokenCounter for what it is not).
    /// </summary>
    [Theory]
    [InlineData("english-prose")]
    [InlineData("csharp-code")]
    [InlineData("greeting")]
    [InlineData("markdown-url")]
    public void The_margin_holds_against_o200k_on_prose_and_code(string name)
    {
        var text = TokenizerAccuracyTests.Corpus[name];
        var real = TokenEstimator.CountText(text, TokenizerSpec.O200kBase).Tokens;
        var estimate = TokenEstimator.CountText(text, Four).Tokens;
        Assert.InRange(estimate, real * 0.75, real * 1.25);
    }

    /// <summary>
    /// CJK text is counted a token a character: about what cl100k spends, more than o200k (whose
    /// larger vocabulary merges common pairs). Divided by 4 like Latin text it would be a quarter of that.
    /// </summary>
    [Theory]
    [InlineData("chinese")]
    [InlineData("japanese")]
    [InlineData("korean")]
    public void CJK_text_is_not_undercounted(string name)
    {
        var text = TokenizerAccuracyTests.Corpus[name];
        var estimate = TokenEstimator.CountText(text, Four).Tokens;
        Assert.True(estimate >= 0.75 * TokenEstimator.CountText(text, TokenizerSpec.Cl100kBase).Tokens);
        Assert.True(estimate >= TokenEstimator.CountText(text, TokenizerSpec.O200kBase).Tokens);
    }
}
