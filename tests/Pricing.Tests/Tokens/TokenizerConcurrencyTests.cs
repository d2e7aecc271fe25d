namespace BudgetActors.Pricing.Tests.Tokens;

/// <summary>One tokenizer per encoding, shared; counting from many threads at once gives the single-threaded counts.</summary>
public sealed class TokenizerConcurrencyTests
{
    [Fact]
    public async Task Each_encoding_has_one_shared_tokenizer()
    {
        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => TiktokenEncodings.For(TokenEncoding.O200kBase))));
        Assert.All(first, tokenizer => Assert.Same(first[0], tokenizer));
        Assert.Same(TiktokenEncodings.For(TokenEncoding.Cl100kBase), TiktokenEncodings.For(TokenEncoding.Cl100kBase));
        Assert.NotSame(TiktokenEncodings.For(TokenEncoding.O200kBase), TiktokenEncodings.For(TokenEncoding.Cl100kBase));
    }

    [Fact]
    public void Parallel_counts_equal_sequential_counts()
    {
        // Texts the shared tokenizers have not seen yet (a unique suffix each), so the parallel pass
        // exercises their internal caches on misses as well as hits.
        var corpus = TokenizerAccuracyTests.Corpus.Values.ToArray();
        var texts = Enumerable.Range(0, 1_500).Select(i => $"{corpus[i % corpus.Length]} run-{Guid.NewGuid():N} {i}").ToArray();
        TokenEncoding[] encodings = [TokenEncoding.O200kBase, TokenEncoding.Cl100kBase];

        // The reference: private tokenizer instances, counting one text at a time.
        var expected = encodings.ToDictionary(e => e, e =>
        {
            var own = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding(e == TokenEncoding.O200kBase ? "o200k_base" : "cl100k_base");
            return texts.Select(t => (long)own.CountTokens(t)).ToArray();
        });

        var actual = encodings.ToDictionary(e => e, _ => new long[texts.Length]);
        Parallel.For(0, texts.Length * encodings.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var encoding = encodings[i % encodings.Length];
            var index = i / encodings.Length;
            var spec = encoding == TokenEncoding.O200kBase ? TokenizerSpec.O200kBase : TokenizerSpec.Cl100kBase;
            actual[encoding][index] = TokenEstimator.CountText(texts[index], spec).Tokens;
        });

        foreach (var encoding in encodings) Assert.Equal(expected[encoding], actual[encoding]);
    }

    [Fact]
    public void Parallel_chat_counts_are_stable()
    {
        var messages = ChatTokenCountTests.Conversation;
        var expected = TokenEstimator.CountChat(messages, TokenizerSpec.O200kBase).Tokens;
        var counts = new long[500];
        Parallel.For(0, counts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => counts[i] = TokenEstimator.CountChat(messages, TokenizerSpec.O200kBase).Tokens);
        Assert.All(counts, count => Assert.Equal(expected, count));
    }
}
