namespace BudgetActors.Pricing.Tests.Tokens;

/// <summary>
/// Chat requests: every message costs its role, content and name tokens plus 3 (4 with a name),
/// and the reply priming costs 3 (OpenAI cookbook, num_tokens_from_messages).
/// </summary>
public sealed class ChatTokenCountTests
{
    internal static readonly ChatMessage[] Conversation =
    [
        new("system", "You are a terse assistant. Answer in one sentence."),
        new("user", "What does a budget reservation hold?", Name: "alice"),
        new("assistant", "The estimated cost, until the worker commits or the hold expires."),
        new("user", "And in 日本語? 🙂"),
    ];

    /// <summary>
    /// The cookbook formula computed in JavaScript over js-tiktoken counts (see README.md): 58 for
    /// o200k_base, 60 for cl100k_base. Independent of our own text counts.
    /// </summary>
    [Theory]
    [InlineData(TokenEncoding.O200kBase, 58)]
    [InlineData(TokenEncoding.Cl100kBase, 60)]
    public void A_conversation_counts_as_tiktoken_and_the_cookbook_do(TokenEncoding encoding, long expected)
    {
        var spec = encoding == TokenEncoding.O200kBase ? TokenizerSpec.O200kBase : TokenizerSpec.Cl100kBase;
        var estimate = TokenEstimator.CountChat(Conversation, spec);
        Assert.Equal(expected, estimate.Tokens);
        Assert.True(estimate.Exact);
        Assert.Equal(0m, estimate.ErrorMargin);
    }

    [Fact]
    public void The_framing_constants_add_up()
    {
        long Text(string text) => TokenEstimator.CountText(text, TokenizerSpec.O200kBase).Tokens;
        ChatMessage[] one = [new("user", "Hello, world!", Name: "bob")];
        var expected = TokenEstimator.ReplyPriming + TokenEstimator.TokensPerMessage + Text("user") + Text("Hello, world!")
                       + TokenEstimator.TokensPerName + Text("bob");
        Assert.Equal(expected, TokenEstimator.CountChat(one, TokenizerSpec.O200kBase).Tokens);
        Assert.Equal(3, TokenEstimator.CountChat([], TokenizerSpec.O200kBase).Tokens);
    }

    [Fact]
    public void A_message_without_content_still_costs_its_framing()
    {
        var estimate = TokenEstimator.CountChat([new ChatMessage("assistant", null)], TokenizerSpec.O200kBase);
        Assert.Equal(3 + 3 + 1, estimate.Tokens); // priming + framing + "assistant"
    }

    [Fact]
    public void Models_without_a_tokenizer_get_the_fallback_with_its_margin()
    {
        var spec = TokenizerSpec.Fallback(4m, 0.25m);
        var estimate = TokenEstimator.CountChat([new ChatMessage("user", "abcdefgh")], spec);
        Assert.Equal(3 + 3 + 1 + 2, estimate.Tokens); // priming + framing + ceil(4/4) for "user" + ceil(8/4)
        Assert.False(estimate.Exact);
        Assert.Equal(0.25m, estimate.ErrorMargin);
        Assert.Equal("fallback(chars/4)", estimate.Encoding);
    }
}
