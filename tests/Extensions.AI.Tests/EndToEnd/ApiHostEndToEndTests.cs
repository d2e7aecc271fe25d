using System.Diagnostics;
using BudgetActors.Extensions.AI.Tests.Fakes;
using BudgetActors.Extensions.AI.Tests.Support;
using Microsoft.Extensions.AI;

namespace BudgetActors.Extensions.AI.Tests.EndToEnd;

/// <summary>
/// The middleware with HttpBudgetClient against the real ApiHost process: with the server pricing
/// <c>llm</c> / <c>llmUsage</c> from its catalog, and in local-pricing mode (explicit amounts from a
/// rate card, with models the catalog does not know). Each checks the whole HTTP cycle and the
/// budget's status after it.
/// </summary>
public sealed class ApiHostEndToEndTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task A_response_and_a_stream_each_charge_their_usage_and_leave_nothing_reserved()
    {
        var (tenant, key) = await host.NewTenantAsync();
        await host.PutBudgetAsync(tenant, "monthly", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 5.00, "tokens": 100000 } }""");
        var model = new ScriptedChatClient();
        var settlements = new List<BudgetSettlement>();
        var client = Pipeline(model, tenant, key, settlements);

        var response = await client.GetResponseAsync("What is a budget?", new ChatOptions { MaxOutputTokens = 400 });
        var streamed = "";
        await foreach (var update in client.GetStreamingResponseAsync("And a reservation?", new ChatOptions { MaxOutputTokens = 400 }))
        {
            streamed += update.Text;
        }

        Assert.Equal(model.FullText, response.Text);
        Assert.Equal(model.FullText, streamed);
        Assert.Equal([SettlementKind.Committed, SettlementKind.Committed], settlements.Select(s => s.Kind));
        var perCall = RateCards.Pricer.PriceUsage(new LlmUsage("big-model", 120, 30, 0));
        var status = await host.StatusAsync(tenant, "monthly");
        Assert.Equal((perCall.Cost * 2, 0m), StatusReading.Of(status, "cost"));
        Assert.Equal((300m, 0m), StatusReading.Of(status, "tokens"));
        Assert.Equal((2m, 0m), StatusReading.Of(status, "operations"));
        // The commit's answer carries the same status.
        Assert.Equal(perCall.Cost * 2, Assert.Single(settlements[1].Commit!.Budgets).Cost.Spent);
    }

    [Fact]
    public async Task A_stream_cancelled_before_output_is_released_on_the_server()
    {
        var (tenant, key) = await host.NewTenantAsync();
        await host.PutBudgetAsync(tenant, "monthly", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 5.00 } }""");
        var model = new ScriptedChatClient { HangBeforeChunk = 0 };
        var settlements = new List<BudgetSettlement>();
        var client = Pipeline(model, tenant, key, settlements);
        using var cancel = new CancellationTokenSource();

        var reading = Task.Run(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: cancel.Token))
            {
            }
        });
        await model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var held = StatusReading.Of(await host.StatusAsync(tenant, "monthly"), "cost");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.True(held.Reserved > 0m, "the estimate is held while the model runs");
        Assert.Equal(SettlementKind.Released, Assert.Single(settlements).Kind);
        Assert.Equal((0m, 0m), StatusReading.Of(await host.StatusAsync(tenant, "monthly"), "cost"));
    }

    [Fact]
    public async Task A_call_cancelled_while_the_reservation_is_in_flight_leaves_nothing_reserved()
    {
        var (tenant, key) = await host.NewTenantAsync();
        await host.PutBudgetAsync(tenant, "monthly", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 5.00 } }""");
        var model = new ScriptedChatClient();
        var settlements = new List<BudgetSettlement>();
        using var lossy = new LostReservationAnswer();
        using var http = new HttpClient(lossy) { Timeout = TimeSpan.FromSeconds(30) };
        var client = new ChatClientBuilder(model)
            .UseBudgets(new HttpBudgetClient(http, host.BaseAddress, key).WithLocalPricing(RateCards.Pricer), tenant, o =>
            {
                o.OnSettled = settlements.Add;
                o.SettlementTimeout = TimeSpan.FromSeconds(5); // how long the lost answer is waited for
            })
            .Build();
        using var cancel = new CancellationTokenSource();

        var call = client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 400 }, cancel.Token);
        await lossy.Granted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var held = StatusReading.Of(await host.StatusAsync(tenant, "monthly"), "cost");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(held.Reserved > 0m, "the server granted the hold before the caller gave up");
        Assert.Empty(model.Calls);
        var after = await Eventually.ReadAsync(
            async () => StatusReading.Of(await host.StatusAsync(tenant, "monthly"), "cost"), s => s.Reserved == 0m, TimeSpan.FromSeconds(30));
        Assert.Equal((0m, 0m), after);
        Assert.Equal(SettlementKind.Released, Assert.Single(settlements).Kind);
    }

    [Fact]
    public async Task A_refusal_names_the_budget_and_changes_nothing()
    {
        var (tenant, key) = await host.NewTenantAsync();
        await host.PutBudgetAsync(tenant, "bob-cap", """{ "scope": { "user": "bob" }, "period": { "type": "daily" }, "limits": { "tokens": 100 } }""");
        var model = new ScriptedChatClient();
        var client = Pipeline(model, tenant, key, []);

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() =>
            client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 500 }.WithBudgetAttributes(("user", "bob"))));

        Assert.Equal(["bob-cap"], refused.BlockedBy);
        var reason = Assert.Single(refused.Reasons);
        Assert.Equal(("bob-cap", Decision.Block, "tokens", 100m), (reason.Budget, reason.Decision, reason.Metric, reason.Limit));
        Assert.Equal(refused.Reservation.Estimate.Tokens, reason.Requested); // the prompt's tokens and the 500 output tokens
        Assert.NotNull(refused.RetryAfter);
        Assert.Contains($"bob-cap: 0 spent + {reason.Requested} requested passes the daily tokens limit of 100", refused.Message);
        Assert.Empty(model.Calls);
        Assert.Equal((0m, 0m), StatusReading.Of(await host.StatusAsync(tenant, "bob-cap"), "tokens"));
    }

    [Fact]
    public async Task The_servers_downgrade_switches_the_model_and_the_commit_is_priced_for_it()
    {
        var (tenant, key) = await host.NewTenantAsync();
        // Throttling from 60 %: a 700-token estimate of a 1000-token budget is answered with a downgrade.
        await host.PutBudgetAsync(tenant, "carol", """
            { "scope": { "user": "carol" }, "period": { "type": "total" }, "limits": { "tokens": 1000 },
              "thresholds": { "warn": 0.5, "throttle": 0.6, "block": 1.0 }, "enforcement": { "mode": "hard", "downgradeTo": "small-model" } }
            """);
        var model = new ScriptedChatClient();
        var client = Pipeline(model, tenant, key, []);

        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "big-model", MaxOutputTokens = 690 }.WithBudgetAttributes(("user", "carol")));

        Assert.Equal("small-model", Assert.Single(model.Calls).Options?.ModelId);
        var expected = RateCards.Pricer.PriceUsage(new LlmUsage("small-model", 120, 30, 0));
        var status = await host.StatusAsync(tenant, "carol");
        Assert.Equal((expected.Cost, 0m), StatusReading.Of(status, "cost"));
        Assert.Equal((150m, 0m), StatusReading.Of(status, "tokens"));
    }

    [Fact]
    public async Task A_downgraded_call_lands_on_the_budgets_of_the_model_that_answered()
    {
        var (tenant, key) = await host.NewTenantAsync();
        // big-model's budget downgrades from 60 %: a 700-token estimate of its 1000 tokens is answered with a downgrade.
        await host.PutBudgetAsync(tenant, "big", """
            { "scope": { "model": "big-model" }, "period": { "type": "total" }, "limits": { "tokens": 1000 },
              "thresholds": { "warn": 0.5, "throttle": 0.6, "block": 1.0 }, "enforcement": { "mode": "hard", "downgradeTo": "small-model" } }
            """);
        await host.PutBudgetAsync(tenant, "small", """{ "scope": { "model": "small-model" }, "period": { "type": "total" }, "limits": { "tokens": 100000 } }""");
        var model = new ScriptedChatClient();
        var client = Pipeline(model, tenant, key, []);

        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "big-model", MaxOutputTokens = 690 });

        Assert.Equal("small-model", Assert.Single(model.Calls).Options?.ModelId);
        Assert.Equal((150m, 0m), StatusReading.Of(await host.StatusAsync(tenant, "small"), "tokens"));
        Assert.Equal((0m, 0m), StatusReading.Of(await host.StatusAsync(tenant, "big"), "tokens"));
    }

    [Fact]
    public async Task The_server_prices_the_prompt_and_the_reported_usage_from_its_catalog()
    {
        var (tenant, key) = await host.NewTenantAsync();
        await host.PutBudgetAsync(tenant, "monthly", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 5.00 } }""");
        var model = new ScriptedChatClient("gpt-4o");
        var settlements = new List<BudgetSettlement>();
        var client = new ChatClientBuilder(model)
            .UseBudgets(new HttpBudgetClient(host.Http, host.BaseAddress, key), tenant, o => o.OnSettled = settlements.Add)
            .Build();

        await client.GetResponseAsync("What is a budget?", new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 400 });

        // The scripted model reports 120 input and 30 output tokens: 120 · 2.50/M + 30 · 10/M at gpt-4o's catalog price.
        var settled = Assert.Single(settlements);
        Assert.Equal(SettlementKind.Committed, settled.Kind);
        Assert.Equal(0.0006m, settled.Commit!.Charged.Cost);
        Assert.Equal((0.0006m, 0m), StatusReading.Of(await host.StatusAsync(tenant, "monthly"), "cost"));
    }

    private IChatClient Pipeline(ScriptedChatClient model, string tenant, string key, List<BudgetSettlement> settlements) =>
        new ChatClientBuilder(model)
            .UseBudgets(new HttpBudgetClient(host.Http, host.BaseAddress, key).WithLocalPricing(RateCards.Pricer), tenant, o => o.OnSettled = settlements.Add)
            .Build();

    /// <summary>
    /// Sends the first reservation to the server and lets it be granted, but never hands its answer back:
    /// the request waits until its token is cancelled, as if the caller gave up while the answer was on
    /// its way. Every other request goes through.
    /// </summary>
    private sealed class LostReservationAnswer() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _reservations;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isReservation = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/reservations", StringComparison.Ordinal);
            if (!isReservation || Interlocked.Increment(ref _reservations) > 1)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            using (var granted = await base.SendAsync(request, CancellationToken.None))
            {
                Assert.True(granted.IsSuccessStatusCode, $"the reservation answered {(int)granted.StatusCode}");
            }

            Granted.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }
}
