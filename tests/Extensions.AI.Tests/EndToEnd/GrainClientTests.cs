using System.Collections.Immutable;
using BudgetActors.Extensions.AI.Tests.Fakes;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace BudgetActors.Extensions.AI.Tests.EndToEnd;

/// <summary>
/// The middleware with GrainBudgetClient against a one-silo test cluster of the real grains: a full
/// cycle moves the budget, a refusal names the budget, the cluster's errors map to API statuses.
/// LLM amounts are priced on the caller's side until the cluster prices them.
/// </summary>
public sealed class GrainClientTests(GrainClientTests.Cluster cluster) : IClassFixture<GrainClientTests.Cluster>
{
    [Fact]
    public async Task A_chat_call_is_reserved_and_committed_through_the_admission_grain()
    {
        var tenant = await cluster.NewTenantAsync();
        await cluster.PutBudgetAsync(tenant, "monthly", new Limits(1.00m, null, null));
        var model = new ScriptedChatClient();
        var settlements = new List<BudgetSettlement>();
        var client = new ChatClientBuilder(model)
            .UseBudgets(new GrainBudgetClient(cluster.Client).WithLocalPricing(RateCards.Pricer), tenant, o => o.OnSettled = settlements.Add)
            .Build();

        await client.GetResponseAsync("What is a budget?");
        var text = "";
        await foreach (var update in client.GetStreamingResponseAsync("And a reservation?"))
        {
            text += update.Text;
        }

        Assert.Equal(model.FullText, text);
        Assert.Equal([SettlementKind.Committed, SettlementKind.Committed], settlements.Select(s => s.Kind));
        var perCall = RateCards.Pricer.PriceUsage(new LlmUsage("big-model", 120, 30, 0));
        var status = Assert.Single((await cluster.Client.GetGrain<ITenantGrain>(tenant).GetSummary()).Budgets);
        Assert.Equal((perCall.Cost * 2, 0m), (status.Cost.Spent, status.Cost.Reserved));
        Assert.Equal(2m, status.Operations.Spent);
    }

    [Fact]
    public async Task A_refusal_from_the_cluster_names_the_budget_and_holds_nothing()
    {
        var tenant = await cluster.NewTenantAsync();
        await cluster.PutBudgetAsync(tenant, "tiny", new Limits(0.000001m, null, null));
        var model = new ScriptedChatClient();
        var client = new ChatClientBuilder(model)
            .UseBudgets(new GrainBudgetClient(cluster.Client).WithLocalPricing(RateCards.Pricer), tenant)
            .Build();

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(["tiny"], refused.BlockedBy);
        Assert.Empty(model.Calls);
        var status = Assert.Single((await cluster.Client.GetGrain<ITenantGrain>(tenant).GetSummary()).Budgets);
        Assert.Equal((0m, 0m), (status.Cost.Spent, status.Cost.Reserved));
    }

    [Fact]
    public async Task The_clusters_problems_become_BudgetApiException_with_the_HTTP_status()
    {
        var budgets = new GrainBudgetClient(cluster.Client);
        var tenant = await cluster.NewTenantAsync();

        var unknownTenant = await Assert.ThrowsAsync<BudgetApiException>(() => budgets.ReleaseAsync("no-such-tenant-" + Guid.NewGuid().ToString("N"), "r-1"));
        var unknownReservation = await Assert.ThrowsAsync<BudgetApiException>(() => budgets.CommitAsync(tenant, "r-unknown", new ExplicitAmount(Amount.Zero)));

        Assert.Equal(404, unknownTenant.Status);
        Assert.Equal(404, unknownReservation.Status);
        Assert.IsType<BudgetActorsException>(unknownReservation.InnerException);
    }

    /// <summary>One silo with the real grains, in-memory storage; deployed once for this class.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly TestCluster _cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<Silo>().Build();

        public IClusterClient Client => _cluster.Client;

        public async Task<string> NewTenantAsync()
        {
            var id = "chat-" + Guid.NewGuid().ToString("N")[..12];
            await Client.GetGrain<ITenantGrain>(id).Create("Chat tests", "USD", "UTC");
            return id;
        }

        public Task PutBudgetAsync(string tenant, string id, Limits limits) =>
            Client.GetGrain<ITenantGrain>(tenant).PutBudget(new BudgetDefinition(id, ImmutableSortedDictionary<string, string>.Empty, new PeriodSpec(PeriodType.Total, "UTC"),
                limits, Thresholds.Default, EnforcementMode.Hard, null));

        public Task InitializeAsync() => _cluster.DeployAsync();

        public async Task DisposeAsync() => await _cluster.DisposeAsync();

        private sealed class Silo : ISiloConfigurator
        {
            public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddBudgetActorsGrains(new ConfigurationBuilder().Build());
        }
    }
}
