using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// A job worker of a tenant in euros: catalog (USD) prices reach its budgets in euros, at the rate in
/// force when each amount was priced, and every answer says which rate that was; without a rate a
/// catalog-priced amount is a typed refusal naming it, and changes nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExchangeRateTests(ClusterFixture fixture)
{
    private static readonly DateOnly December = new(2026, 12, 1);

    private IAdmissionGrain Admission => fixture.Admission;

    // 5 prompt tokens at 2.50/M + 1000 output tokens at 10/M: 0.0100125 USD exactly (0.010012 rounded).
    private static LlmEstimate Summary() => new("gpt-4o", [], "Summarize this.", 1000, []);

    // OpenAI shape: 500 input at 2.50/M + 400 cached at 1.25/M + 300 output at 10/M = 0.00475 USD.
    private static LlmUsage Call() => new("gpt-4o", 900, 300, 400);

    private async Task<string> EuroTenant()
    {
        var id = "t-" + Guid.NewGuid().ToString("N");
        var tenant = fixture.Client.GetGrain<ITenantGrain>(id);
        await tenant.Create("Euro tenant", "EUR", "Europe/Paris");
        await tenant.PutBudget(new BudgetDefinition("month", Attributes(), new PeriodSpec(PeriodType.Total, "UTC"),
            new Limits(1m, null, null), Thresholds.Default, EnforcementMode.Hard, null));
        return id;
    }

    private Task<BudgetStatus?> Status(string tenant) => fixture.Client.GetGrain<IBudgetGrain>(BudgetKey.Of(tenant, "month")).GetStatus();

    [Fact]
    public async Task Catalog_prices_are_converted_exactly_at_the_rate_and_answers_name_it()
    {
        var tenant = await EuroTenant();
        var set = await fixture.Client.GetGrain<ITenantGrain>(tenant).SetExchangeRate(0.92m, December);
        Assert.Equal(new ExchangeRate("EUR", 0.92m, December), set);

        var check = await Admission.Check(tenant, new CheckRequest(Attributes(), Summary()));
        var held = await Admission.Reserve(tenant, new ReserveRequest("r-1", Attributes(), Summary(), TimeSpan.FromMinutes(5)));
        var usage = await Admission.RecordUsage(tenant, new UsageRequest("u-1", Attributes(), Call()));

        // 0.0100125 × 0.92 = 0.0092115, half to even: 0.009212 (converting the rounded 0.010012 would give 0.009211).
        Assert.Equal(new Amount(0.009212m, 1005, 1), check.Estimate);
        Assert.Equal(set, check.EstimateRate);
        Assert.Equal(check.Estimate, held.Estimate);
        Assert.Equal(set, held.EstimateRate);
        Assert.Equal(new Amount(0.00437m, 1200, 1), usage.Charged); // 0.00475 × 0.92
        Assert.Equal(set, usage.ChargedRate);

        var commit = await Admission.Commit(tenant, held.ReservationId!, new CommitRequest(Call()));
        Assert.Equal(new Amount(0.00437m, 1200, 1), commit.Charged);
        Assert.Equal(set, commit.ChargedRate);
        Assert.Equal(new Amount(0.009212m, 1005, 1), commit.Released);
        Assert.Equal(0.00874m, (await Status(tenant))!.Cost.Spent);
    }

    [Fact]
    public async Task A_new_rate_prices_what_comes_next_and_leaves_what_was_charged_or_held()
    {
        var tenant = await EuroTenant();
        var grain = fixture.Client.GetGrain<ITenantGrain>(tenant);
        var old = await grain.SetExchangeRate(0.92m, December);
        var firstUsage = await Admission.RecordUsage(tenant, new UsageRequest("u-1", Attributes(), Call()));
        var held = await Admission.Reserve(tenant, new ReserveRequest("r-1", Attributes(), Summary(), TimeSpan.FromMinutes(5)));
        var firstCommit = await Admission.Commit(tenant, held.ReservationId!, new CommitRequest(Call()));
        var heldLater = await Admission.Reserve(tenant, new ReserveRequest("r-2", Attributes(), Summary(), TimeSpan.FromMinutes(5)));

        var current = await grain.SetExchangeRate(0.95m, December.AddDays(1));

        // Retries answer as the first time: the old amounts at the old rate.
        var usageAgain = await Admission.RecordUsage(tenant, new UsageRequest("u-1", Attributes(), Call()));
        var commitAgain = await Admission.Commit(tenant, held.ReservationId!, new CommitRequest(Call()));
        var reserveAgain = await Admission.Reserve(tenant, new ReserveRequest("r-2", Attributes(), Summary(), TimeSpan.FromMinutes(5)));
        Assert.True(usageAgain.Duplicate);
        Assert.Equal((firstUsage.Charged, old), (usageAgain.Charged, usageAgain.ChargedRate));
        Assert.Equal((firstCommit.Charged, old), (commitAgain.Charged, commitAgain.ChargedRate));
        Assert.Equal((heldLater.Estimate, old), (reserveAgain.Estimate, reserveAgain.EstimateRate));

        // New amounts at the new rate: 0.00475 × 0.95 = 0.0045125 → 0.004512; 0.0100125 × 0.95 = 0.009511875 → 0.009512.
        var newUsage = await Admission.RecordUsage(tenant, new UsageRequest("u-2", Attributes(), Call()));
        var newCheck = await Admission.Check(tenant, new CheckRequest(Attributes(), Summary()));
        Assert.Equal((new Amount(0.004512m, 1200, 1), current), (newUsage.Charged, newUsage.ChargedRate));
        Assert.Equal((new Amount(0.009512m, 1005, 1), current), (newCheck.Estimate, newCheck.EstimateRate));

        // The hold taken before keeps its old amount: committing it releases exactly that.
        var laterCommit = await Admission.Commit(tenant, heldLater.ReservationId!, new CommitRequest(Call()));
        Assert.Equal(new Amount(0.009212m, 1005, 1), laterCommit.Released);
        Assert.Equal(new Amount(0.004512m, 1200, 1), laterCommit.Charged);

        var status = (await Status(tenant))!;
        Assert.Equal(0.00437m + 0.00437m + 0.004512m + 0.004512m, status.Cost.Spent);
        Assert.Equal(0m, status.Cost.Reserved);
    }

    [Fact]
    public async Task Without_a_rate_catalog_prices_are_refused_naming_it_and_nothing_changes()
    {
        var tenant = await EuroTenant();

        var check = await Assert.ThrowsAsync<BudgetActorsException>(() => Admission.Check(tenant, new CheckRequest(Attributes(), Summary())));
        var reserve = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            Admission.Reserve(tenant, new ReserveRequest("r-1", Attributes(), Summary(), TimeSpan.FromMinutes(5))));
        var usage = await Assert.ThrowsAsync<BudgetActorsException>(() => Admission.RecordUsage(tenant, new UsageRequest("u-1", Attributes(), Call())));

        Assert.All(new[] { check, reserve, usage }, e => Assert.Equal(ProblemKind.InvalidRequest, e.Kind));
        Assert.Contains("USD→EUR exchange rate", Assert.Single(check.Errors["llm"]));
        Assert.Contains("USD→EUR exchange rate", Assert.Single(reserve.Errors["llm"]));
        Assert.Contains("USD→EUR exchange rate", Assert.Single(usage.Errors["llmUsage"]));
        Assert.Equal(new MetricStatus(1m, 0m, 0m, 1m, 0m), (await Status(tenant))!.Cost);

        // Amounts in the tenant's own money need no rate: stated ones, and its own model prices.
        var grain = fixture.Client.GetGrain<ITenantGrain>(tenant);
        await grain.SetModelPrice("gpt-4o", new ModelPrice("gpt-4o", 2m, 8m));
        var own = await Admission.RecordUsage(tenant, new UsageRequest("u-1", Attributes(), Call())); // the key was not used up
        var stated = await Admission.RecordUsage(tenant, new UsageRequest("u-2", Attributes(), new ExplicitAmount(Cost(0.1m))));
        Assert.Equal((0.0042m, (ExchangeRate?)null), (own.Charged.Cost, own.ChargedRate)); // 500 · 2/M + 400 cached · 2/M (its input price) + 300 · 8/M
        Assert.Null(stated.ChargedRate);
    }

    [Fact]
    public async Task Bad_rates_are_refused_by_field_and_a_usd_tenant_needs_none()
    {
        var tenant = await EuroTenant();
        var grain = fixture.Client.GetGrain<ITenantGrain>(tenant);

        var negative = await Assert.ThrowsAsync<BudgetActorsException>(() => grain.SetExchangeRate(-0.92m, December));
        Assert.Equal(["usd"], negative.Errors.Keys);
        Assert.Null((await grain.GetDirectory(null))!.Pricing.ExchangeRate);

        var dollars = await TestTenant.CreateAsync(fixture);
        var notOne = await Assert.ThrowsAsync<BudgetActorsException>(() => dollars.Grain.SetExchangeRate(0.92m, December));
        Assert.Equal(["usd"], notOne.Errors.Keys);
        await dollars.PutCostBudget("b", 1m);
        var charged = await Admission.RecordUsage(dollars.Id, new UsageRequest("u-1", Attributes(), Call()));
        Assert.Equal((0.00475m, (ExchangeRate?)null), (charged.Charged.Cost, charged.ChargedRate));
    }

    [Fact]
    public async Task A_refusal_names_money_in_the_tenants_currency()
    {
        var tenant = await EuroTenant();

        var refused = await Admission.Check(tenant, new CheckRequest(Attributes(), new ExplicitAmount(Cost(1.5m))));

        Assert.Equal(Decision.Block, refused.Decision);
        Assert.Contains("0.00 EUR spent + 1.50 EUR requested passes the cost limit of 1.00 EUR", Assert.Single(refused.Reasons).Message);
    }
}
