using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests;

/// <summary>What a reservation asks for: the model, the prompt as messages, tools, attributes, idempotency.</summary>
public sealed class EstimateAndAttributeTests
{
    [Fact]
    public async Task Attributes_merge_model_defaults_provider_and_per_call_values_in_that_order()
    {
        var p = new Pipeline(o =>
        {
            o.Attributes = new Dictionary<string, string> { ["environment"] = "prod", ["project"] = "default" };
            o.AttributesProvider = (_, _) => new Dictionary<string, string> { ["project"] = "chat", ["user"] = "nobody" };
        });
        var callerOptions = new ChatOptions().WithBudgetAttributes(("user", "alice"), ("session", "s-1"));

        await p.Client.GetResponseAsync(Pipeline.Prompt(), callerOptions);

        Assert.Equal(
            new Dictionary<string, string> { ["model"] = "big-model", ["environment"] = "prod", ["project"] = "chat", ["user"] = "alice", ["session"] = "s-1" },
            p.Budgets.SingleReservation.Attributes);
        Assert.False(p.Model.SingleCallOptions!.AdditionalProperties!.ContainsKey(BudgetChatOptions.AttributesKey),
            "the middleware's own property must not reach the model");
        Assert.True(callerOptions.AdditionalProperties!.ContainsKey(BudgetChatOptions.AttributesKey), "the caller's options are not touched");
    }

    [Fact]
    public async Task The_model_attribute_can_be_switched_off_and_is_left_out_when_not_a_valid_value()
    {
        var off = new Pipeline(o => o.AddModelAttribute = false);
        await off.Client.GetResponseAsync(Pipeline.Prompt());
        Assert.Empty(off.Budgets.SingleReservation.Attributes);

        var odd = new Pipeline();
        await odd.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { ModelId = "model with spaces" });
        Assert.Empty(odd.Budgets.SingleReservation.Attributes);
    }

    [Fact]
    public async Task Function_calls_results_and_tool_definitions_count_as_prompt()
    {
        var p = new Pipeline();
        List<ChatMessage> prompt =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call-1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", "sunny, 21 C")]),
        ];
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Current weather of a city")] };

        await p.Client.GetResponseAsync(prompt, options);

        var estimate = p.Budgets.SingleEstimate;
        Assert.Equal(["user", "assistant", "tool"], estimate.Messages.Select(m => m.Role));
        Assert.Equal("get_weather{\"city\":\"Paris\"}", estimate.Messages[1].Content);
        Assert.Equal("sunny, 21 C", estimate.Messages[2].Content);
        var tool = Assert.Single(estimate.Tools);
        Assert.Contains("\"name\":\"get_weather\"", tool);
        Assert.Contains("\"city\"", tool); // the parameter schema
    }

    [Fact]
    public async Task Without_a_model_anywhere_the_call_fails_before_reserving()
    {
        var budgets = new Fakes.RecordingBudgetClient();
        var client = new ChatClientBuilder(new NamelessChatClient()).UseBudgets(budgets, "acme").Build();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("hi"));

        Assert.Contains("DefaultModelId", e.Message);
        Assert.Empty(budgets.Reservations);
    }

    [Fact]
    public async Task Each_call_reserves_with_its_own_idempotency_key_unless_the_factory_says_otherwise()
    {
        var p = new Pipeline();
        await p.Client.GetResponseAsync(Pipeline.Prompt());
        await p.Client.GetResponseAsync(Pipeline.Prompt());
        var keys = p.Budgets.Reservations.Select(r => r.IdempotencyKey).ToList();
        Assert.All(keys, k => Assert.StartsWith("chat-", k));
        Assert.Equal(2, keys.Distinct().Count());

        var custom = new Pipeline(o => o.IdempotencyKeyFactory = (_, chatOptions) => chatOptions?.ConversationId);
        await custom.Client.GetResponseAsync(Pipeline.Prompt(), new ChatOptions { ConversationId = "conv-7" });
        Assert.Equal("conv-7", custom.Budgets.SingleReservation.IdempotencyKey);
    }

    [Fact]
    public async Task Ttl_priority_tier_and_usage_shape_come_from_the_options()
    {
        var p = new Pipeline(o =>
        {
            o.ReservationTtl = TimeSpan.FromSeconds(42);
            o.Priority = 7;
            o.Tier = "batch";
            o.UsageShape = LlmUsageShape.Anthropic;
        });
        p.Model.Usage = new UsageDetails
        {
            InputTokenCount = 10,
            OutputTokenCount = 5,
            AdditionalCounts = new() { ["CacheCreationInputTokens"] = 300 },
        };

        await p.Client.GetResponseAsync(Pipeline.Prompt());

        var reservation = p.Budgets.SingleReservation;
        Assert.Equal((TimeSpan.FromSeconds(42), 7, "batch"), (reservation.Ttl, reservation.Priority, p.Budgets.SingleEstimate.Tier));
        Assert.Equal(new LlmUsage("big-model", 10, 5, 0, 300, 0, LlmUsageShape.Anthropic, "batch"), p.Budgets.SingleCommittedUsage);
    }

    [Fact]
    public void Token_estimates_are_a_quarter_of_the_characters_rounded_up_plus_message_overhead()
    {
        Assert.Equal(0, TokenEstimate.FromText(""));
        Assert.Equal(1, TokenEstimate.FromText("abc"));
        Assert.Equal(2, TokenEstimate.FromText("abcde"));
        // 7 + 4 for "You answer in one sentence.", 5 + 2 + 4 for "What is a budget?" by alice, 3 for the reply.
        Assert.Equal(25, TokenEstimate.ForMessages([new PromptMessage("system", "You answer in one sentence."), new PromptMessage("user", "What is a budget?", "alice")]));
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_when_the_pipeline_is_built()
    {
        var builder = new ChatClientBuilder(new NamelessChatClient());
        Assert.Throws<ArgumentException>(() => builder.UseBudgets(new Fakes.RecordingBudgetClient(), " "));
        Assert.Throws<ArgumentException>(() => builder.UseBudgets(new Fakes.RecordingBudgetClient(), "acme", o => o.DefaultMaxOutputTokens = 0));
        Assert.Throws<ArgumentException>(() => builder.UseBudgets(new Fakes.RecordingBudgetClient(), "acme", o => o.ReservationTtl = TimeSpan.Zero));
    }

    private sealed class NamelessChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
