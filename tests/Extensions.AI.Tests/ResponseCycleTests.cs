using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>GetResponseAsync through the middleware: reserve the estimate, call, commit the real usage.</summary>
public sealed class ResponseCycleTests
{
    [Fact]
    public async Task Reserves_prompt_and_max_output_then_commits_the_reported_usage()
    {
        var p = new Pipeline();
        p.Model.Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30, CachedInputTokenCount = 40, ReasoningTokenCount = 8 };

        var response = await p.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { MaxOutputTokens = 200 });

        Assert.Equal(p.Model.FullText, response.Text);
        var reservation = p.Budgets.SingleReservation;
        Assert.Equal(Pipeline.Tenant, reservation.Tenant);
        Assert.Equal(TimeSpan.FromMinutes(5), reservation.Ttl);
        var estimate = p.Budgets.SingleEstimate;
        Assert.Equal("big-model", estimate.Model); // from the inner client's metadata
        Assert.Equal(200, estimate.MaxOutputTokens);
        Assert.Equal<PromptMessage>(
            [new PromptMessage("system", "You answer in one sentence."), new PromptMessage("user", "What is a budget?", "alice")],
            estimate.Messages);

        var (tenant, reservationId, _) = Assert.Single(p.Budgets.Commits);
        Assert.Equal((Pipeline.Tenant, "res-1"), (tenant, reservationId));
        Assert.Equal(new LlmUsage("big-model", 120, 30, 40, 0, 8, LlmUsageShape.OpenAI), p.Budgets.SingleCommittedUsage);
        Assert.Empty(p.Budgets.Releases);

        var settlement = p.SingleSettlement;
        Assert.Equal((SettlementKind.Committed, CallEnd.Completed, false, false), (settlement.Kind, settlement.End, settlement.Streaming, settlement.UsageEstimated));
    }

    [Fact]
    public async Task Without_max_output_tokens_the_default_is_reserved_but_the_model_is_asked_exactly_what_the_caller_asked()
    {
        var p = new Pipeline();
        var callerOptions = new ChatOptions { Temperature = 0.2f };

        await p.Client.GetResponseAsync(Pipeline.Prompt(), callerOptions);
        await p.Client.GetResponseAsync(Pipeline.Prompt());
        await p.ReadAllAsync();

        Assert.All(p.Budgets.Reservations, r => Assert.Equal(1024, Assert.IsType<LlmEstimate>(r.Estimate).MaxOutputTokens));
        Assert.Same(callerOptions, p.Model.Calls[0].Options); // nothing to change: the caller's options go through as they are
        Assert.Null(callerOptions.MaxOutputTokens);
        Assert.Null(p.Model.Calls[1].Options);
        Assert.Null(p.Model.Calls[2].Options);
    }

    [Fact]
    public async Task Without_max_output_tokens_the_default_bounds_the_call_when_opted_in()
    {
        var p = new Pipeline(o => (o.DefaultMaxOutputTokens, o.ApplyDefaultMaxOutputTokens) = (300, true));

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(300, p.Budgets.SingleEstimate.MaxOutputTokens);
        Assert.Equal(300, p.Model.SingleCallOptions?.MaxOutputTokens);
    }

    [Fact]
    public async Task The_default_bound_is_not_passed_on_when_switched_off()
    {
        var p = new Pipeline(o => (o.DefaultMaxOutputTokens, o.ApplyDefaultMaxOutputTokens) = (300, false));

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        Assert.Equal(300, p.Budgets.SingleEstimate.MaxOutputTokens);
        Assert.Null(p.Model.SingleCallOptions?.MaxOutputTokens);
    }

    [Fact]
    public async Task Usage_over_the_estimate_is_committed_as_it_is()
    {
        var p = new Pipeline();
        p.Model.Usage = new UsageDetails { InputTokenCount = 9_000, OutputTokenCount = 5_000 };

        await p.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { MaxOutputTokens = 100 });

        Assert.Equal(100, p.Budgets.SingleEstimate.MaxOutputTokens);
        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal((9_000L, 5_000L), (usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task A_response_without_usage_commits_an_estimate_from_the_prompt_and_the_answer_text()
    {
        var p = new Pipeline();
        p.Model.Usage = null;
        p.Model.Chunks = [new string('x', 41)]; // 41 characters: 11 tokens at 4 characters per token, rounded up

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal(TokenEstimate.ForPrompt(p.Budgets.SingleEstimate), usage.InputTokens);
        Assert.Equal(11, usage.OutputTokens);
        Assert.True(p.SingleSettlement.UsageEstimated);
    }

    [Fact]
    public async Task A_response_without_usage_is_charged_the_prompt_tokens_the_reservation_counted()
    {
        var p = new Pipeline();
        p.Model.Usage = null;
        p.Model.Chunks = ["12345678"];
        p.Budgets.Answer = CountedByTheService(promptTokens: 57, maxOutputTokens: 200);

        await p.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { MaxOutputTokens = 200 });

        Assert.NotEqual(57, TokenEstimate.ForPrompt(p.Budgets.SingleEstimate)); // the local guess would differ
        Assert.Equal((57L, 2L), (p.Budgets.SingleCommittedUsage.InputTokens, p.Budgets.SingleCommittedUsage.OutputTokens));
        Assert.True(p.SingleSettlement.UsageEstimated);
    }

    /// <summary>A grant whose estimate is what the service priced: the prompt counted with the model's tokenizer, plus the output allowance.</summary>
    internal static Func<BudgetReservationRequest, string, BudgetReservation> CountedByTheService(long promptTokens, long maxOutputTokens) =>
        (request, id) => Fakes.RecordingBudgetClient.Grant(request, id) with { Estimate = new Amount(0.0123m, promptTokens + maxOutputTokens, 1) };

    [Fact]
    public async Task A_partial_usage_keeps_what_the_provider_reported_and_estimates_the_rest()
    {
        var p = new Pipeline();
        p.Model.Usage = new UsageDetails { InputTokenCount = 77 };
        p.Model.Chunks = ["12345678"];

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        var usage = p.Budgets.SingleCommittedUsage;
        Assert.Equal((77L, 2L), (usage.InputTokens, usage.OutputTokens));
        Assert.True(p.SingleSettlement.UsageEstimated);
    }

    [Fact]
    public async Task The_commit_names_the_model_the_provider_says_answered()
    {
        var p = new Pipeline();

        await p.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { ModelId = "big-model-2025-01-01" });

        Assert.Equal("big-model-2025-01-01", p.Budgets.SingleEstimate.Model);
        Assert.Equal("big-model-2025-01-01", p.Budgets.SingleCommittedUsage.Model);
    }
}
