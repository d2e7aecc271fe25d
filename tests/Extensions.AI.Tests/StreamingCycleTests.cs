using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>
/// GetStreamingResponseAsync through the middleware, one test per way a stream can end: read to its
/// end, abandoned by its consumer, failed or cancelled before or after some output.
/// </summary>
public sealed class StreamingCycleTests
{
    [Fact]
    public async Task A_stream_read_to_its_end_passes_every_update_and_commits_the_streamed_usage_at_the_end()
    {
        var p = new Pipeline();
        var texts = new List<string>();
        var committedBeforeTheEnd = true;

        await foreach (var update in p.Client.GetStreamingResponseAsync(Pipeline.Prompt()))
        {
            texts.Add(update.Text);
            committedBeforeTheEnd &= p.Budgets.Commits.Count == 0;
        }

        Assert.True(committedBeforeTheEnd, "nothing may be committed while the stream is still being read");
        Assert.Equal([.. p.Model.Chunks, ""], texts); // the chunks, then the usage update
        Assert.Equal(new LlmUsage("big-model", 120, 30, 0, Shape: LlmUsageShape.OpenAI), p.Budgets.SingleCommittedUsage);
        Assert.Equal((SettlementKind.Committed, CallEnd.Completed, true, false),
            (p.SingleSettlement.Kind, p.SingleSettlement.End, p.SingleSettlement.Streaming, p.SingleSettlement.UsageEstimated));
        Assert.Empty(p.Budgets.Releases);
    }

    [Fact]
    public async Task Usage_reported_in_several_updates_is_summed()
    {
        var p = new Pipeline();
        var model = new SplitUsageChatClient();
        var client = new ChatClientBuilder(model).UseBudgets(p.Budgets, Pipeline.Tenant).Build();

        await foreach (var _ in client.GetStreamingResponseAsync(Pipeline.Prompt()))
        {
        }

        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal((100L, 25L, 10L), (usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens));
    }

    [Fact]
    public async Task An_abandoned_stream_commits_an_estimate_of_what_was_used_when_no_usage_was_seen()
    {
        var p = new Pipeline();
        p.Model.Chunks = ["0123456789", "0123456789", "never read"];

        await foreach (var update in p.Client.GetStreamingResponseAsync(Pipeline.Prompt()))
        {
            if (p.Model.ChunksYielded == 2)
            {
                break;
            }
        }

        Assert.True(p.Model.StreamDisposed, "the inner stream is disposed when the consumer stops");
        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal(TokenEstimate.ForPrompt(p.Budgets.SingleEstimate), usage.InputTokens);
        Assert.Equal(5, usage.OutputTokens); // 20 characters read
        Assert.Equal((SettlementKind.Committed, CallEnd.Abandoned, true), (p.SingleSettlement.Kind, p.SingleSettlement.End, p.SingleSettlement.UsageEstimated));
        Assert.Empty(p.Budgets.Releases);
    }

    [Fact]
    public async Task An_abandoned_stream_is_charged_the_prompt_tokens_the_reservation_counted()
    {
        var p = new Pipeline();
        p.Model.Chunks = ["0123456789", "0123456789", "never read"];
        p.Budgets.Answer = ResponseCycleTests.CountedByTheService(promptTokens: 57, maxOutputTokens: 1024);

        await foreach (var update in p.Client.GetStreamingResponseAsync(Pipeline.Prompt()))
        {
            if (p.Model.ChunksYielded == 2)
            {
                break;
            }
        }

        var usage = p.Budgets.SingleCommittedUsage;
        Assert.NotEqual(57, TokenEstimate.ForPrompt(p.Budgets.SingleEstimate)); // characters ÷ 4 would say otherwise
        Assert.Equal((57L, 5L), (usage.InputTokens, usage.OutputTokens));
        Assert.Equal(CallEnd.Abandoned, p.SingleSettlement.End);
    }

    [Fact]
    public async Task A_stream_cancelled_after_output_is_charged_the_prompt_tokens_the_reservation_counted()
    {
        var p = new Pipeline();
        p.Model.Chunks = ["0123456789ab", "never sent"];
        p.Model.HangBeforeChunk = 1;
        p.Budgets.Answer = ResponseCycleTests.CountedByTheService(promptTokens: 57, maxOutputTokens: 1024);
        using var cancel = new CancellationTokenSource();

        var reading = Task.Run(() => p.ReadAllAsync(cancellationToken: cancel.Token));
        await p.Model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal((57L, 3L), (usage.InputTokens, usage.OutputTokens));
        Assert.Equal(CallEnd.Failed, p.SingleSettlement.End);
    }

    [Fact]
    public async Task A_stream_abandoned_after_its_usage_update_commits_that_usage()
    {
        var p = new Pipeline();

        await foreach (var update in p.Client.GetStreamingResponseAsync(Pipeline.Prompt()))
        {
            if (update.Contents.OfType<UsageContent>().Any())
            {
                break;
            }
        }

        Assert.Equal(new LlmUsage("big-model", 120, 30, 0, Shape: LlmUsageShape.OpenAI), p.Budgets.SingleCommittedUsage);
        Assert.Equal(CallEnd.Abandoned, p.SingleSettlement.End);
        Assert.False(p.SingleSettlement.UsageEstimated);
    }

    [Fact]
    public async Task An_exception_in_the_consumers_loop_abandons_the_stream_and_commits()
    {
        var p = new Pipeline();

        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var _ in p.Client.GetStreamingResponseAsync(Pipeline.Prompt()))
            {
                throw new FormatException("the consumer choked");
            }
        });

        Assert.Single(p.Budgets.Commits);
        Assert.Equal(CallEnd.Abandoned, p.SingleSettlement.End);
    }

    [Fact]
    public async Task Cancellation_mid_stream_after_output_commits_the_partial_usage_and_propagates()
    {
        var p = new Pipeline();
        p.Model.Chunks = ["0123456789ab", "never sent"];
        p.Model.HangBeforeChunk = 1;
        using var cancel = new CancellationTokenSource();
        var read = new List<string>();

        var reading = Task.Run(async () =>
        {
            await foreach (var update in p.Client.GetStreamingResponseAsync(Pipeline.Prompt(), cancellationToken: cancel.Token))
            {
                read.Add(update.Text);
            }
        });
        await p.Model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(["0123456789ab"], read);
        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal(3, usage.OutputTokens); // 12 characters streamed before the cancellation
        Assert.Equal((SettlementKind.Committed, CallEnd.Failed, true), (p.SingleSettlement.Kind, p.SingleSettlement.End, p.SingleSettlement.UsageEstimated));
        Assert.Empty(p.Budgets.Releases);
    }

    [Fact]
    public async Task Cancellation_before_any_output_releases()
    {
        var p = new Pipeline();
        p.Model.HangBeforeChunk = 0;
        using var cancel = new CancellationTokenSource();

        var reading = Task.Run(() => p.ReadAllAsync(cancellationToken: cancel.Token));
        await p.Model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Single(p.Budgets.Releases);
        Assert.Empty(p.Budgets.Commits);
        Assert.Equal((SettlementKind.Released, CallEnd.Failed), (p.SingleSettlement.Kind, p.SingleSettlement.End));
    }

    [Fact]
    public async Task A_failure_before_any_output_releases_and_propagates()
    {
        var p = new Pipeline();
        p.Model.FailBeforeChunk = 0;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => p.ReadAllAsync());

        Assert.Same(p.Model.Failure, thrown);
        Assert.Single(p.Budgets.Releases);
        Assert.Empty(p.Budgets.Commits);
    }

    [Fact]
    public async Task A_failure_after_some_output_commits_the_partial_usage_and_propagates()
    {
        var p = new Pipeline();
        p.Model.Chunks = ["01234567", "89", "unsent"];
        p.Model.FailBeforeChunk = 2;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => p.ReadAllAsync());

        Assert.Same(p.Model.Failure, thrown);
        Assert.Equal(3, p.Budgets.SingleCommittedUsage.OutputTokens); // 10 characters
        Assert.Empty(p.Budgets.Releases);
        Assert.Equal(CallEnd.Failed, p.SingleSettlement.End);
    }

    [Fact]
    public async Task A_stream_never_enumerated_reserves_nothing()
    {
        var p = new Pipeline();

        var stream = p.Client.GetStreamingResponseAsync(Pipeline.Prompt());
        await using (stream.GetAsyncEnumerator())
        {
        }

        Assert.Empty(p.Budgets.Reservations);
        Assert.Empty(p.Model.Calls);
    }

    /// <summary>Reports input in one update and output in another, as some providers do.</summary>
    private sealed class SplitUsageChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 100, CachedInputTokenCount = 10 })] };
            yield return new ChatResponseUpdate(ChatRole.Assistant, "answer");
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 25 })] };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("split", null, "big-model") : null;

        public void Dispose()
        {
        }
    }
}
