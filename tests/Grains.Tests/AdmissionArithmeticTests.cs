using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>Check, reserve, commit, release and record on one budget: what each does to spend and holds.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdmissionArithmeticTests(ClusterFixture fixture)
{
    // Thresholds high enough that warn/throttle stay out of the way: only the arithmetic matters here.
    private static readonly Thresholds BlockOnly = new(1.00m, 1.00m, 1.00m);

    [Fact]
    public async Task Each_call_moves_spend_and_holds_by_exactly_its_amount()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("main", new Limits(10m, null, null), thresholds: BlockOnly);

        var check = await tenant.Check(Cost(4m));
        Assert.Equal(Decision.Allow, check.Decision);
        Assert.Equal(Cost(4m), check.Estimate);
        var checkedBudget = Assert.Single(check.Budgets);
        Assert.Equal("main", checkedBudget.BudgetId);
        Assert.Equal(0m, checkedBudget.Cost.Reserved); // a check holds nothing

        var first = await tenant.Reserve(Cost(4m));
        Assert.True(first.Granted);
        Assert.NotNull(first.ReservationId);
        Assert.Equal(TestClock.Now + TimeSpan.FromMinutes(5), first.ExpiresAt);
        var afterFirst = await tenant.Status("main");
        Assert.Equal(new MetricStatus(10m, 0m, 4m, 6m, 0.4m), afterFirst.Cost);

        var second = await tenant.Reserve(Cost(5.5m));
        Assert.True(second.Granted);
        Assert.Equal(9.5m, (await tenant.Status("main")).Cost.Reserved);

        // 9.5 held + 1 would pass the limit: refused, named, and nothing changes.
        var refused = await tenant.Reserve(Cost(1m));
        Assert.False(refused.Granted);
        Assert.Null(refused.ReservationId);
        Assert.Null(refused.ExpiresAt);
        Assert.Equal(Decision.Block, refused.Decision);
        Assert.Equal<string>(["main"], refused.BlockedBy);
        Assert.Equal(9.5m, (await tenant.Status("main")).Cost.Reserved);

        var commit = await tenant.Commit(first.ReservationId!, Cost(3.25m));
        Assert.Equal(Cost(3.25m), commit.Charged);
        Assert.Equal(Cost(4m), commit.Released);
        var afterCommit = Assert.Single(commit.Budgets);
        Assert.Equal(new MetricStatus(10m, 3.25m, 5.5m, 1.25m, 0.875m), afterCommit.Cost);

        var release = await tenant.Release(second.ReservationId!);
        Assert.Equal(Cost(5.5m), release.Released);
        Assert.Equal(new MetricStatus(10m, 3.25m, 0m, 6.75m, 0.325m), Assert.Single(release.Budgets).Cost);

        var usage = await tenant.Record(Cost(1.5m));
        Assert.False(usage.Duplicate);
        Assert.Equal(Cost(1.5m), usage.Charged);
        Assert.Equal(new MetricStatus(10m, 4.75m, 0m, 5.25m, 0.475m), Assert.Single(usage.Budgets).Cost);
        Assert.Equal(new MetricStatus(10m, 4.75m, 0m, 5.25m, 0.475m), (await tenant.Status("main")).Cost);
    }

    [Fact]
    public async Task Hard_budget_never_lets_spend_plus_reserved_pass_block_times_limit()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        // Blocks at 80% of 10: nothing may take spend + reserved past 8.
        await tenant.PutBudget("capped", new Limits(10m, null, null), thresholds: new Thresholds(0.5m, 0.7m, 0.8m));
        await tenant.Record(Cost(2m));

        var outcomes = new List<bool>();
        foreach (var cost in new[] { 3m, 2m, 1.5m, 0.5m, 0.25m, 1m, 0.000001m })
        {
            outcomes.Add((await tenant.Reserve(Cost(cost))).Granted);
            var status = await tenant.Status("capped");
            Assert.True(status.Cost.Spent + status.Cost.Reserved <= 8m, $"used {status.Cost.Spent + status.Cost.Reserved} after {cost}");
        }

        // 2 spent: +3 (5), +2 (7), 1.5 refused (8.5), +0.5 (7.5), +0.25 (7.75), 1 refused, +0.000001.
        Assert.Equal([true, true, false, true, true, false, true], outcomes);
        var final = await tenant.Status("capped");
        Assert.Equal(2m, final.Cost.Spent);
        Assert.Equal(5.750001m, final.Cost.Reserved);
    }

    [Fact]
    public async Task Reaching_the_limit_exactly_is_admitted_but_one_micro_unit_more_is_not()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("exact", new Limits(1m, null, null), thresholds: BlockOnly);

        Assert.True((await tenant.Reserve(Cost(0.4m))).Granted);
        Assert.False((await tenant.Reserve(Cost(0.600001m))).Granted);
        Assert.True((await tenant.Reserve(Cost(0.6m))).Granted);
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(0.000001m))).Decision);
        Assert.NotEqual(Decision.Block, (await tenant.Check(Amount.Zero)).Decision); // full, but not past it
    }

    [Fact]
    public async Task Soft_budget_never_blocks_but_reports_its_state()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("soft", new Limits(10m, null, null), mode: EnforcementMode.Soft);

        var over = await tenant.Reserve(Cost(15m));
        Assert.True(over.Granted);
        Assert.Equal(Decision.Warn, over.Decision);
        Assert.Empty(over.BlockedBy);
        Assert.Null(over.ThrottleFactor);

        var check = await tenant.Check(Cost(100m));
        Assert.Equal(Decision.Warn, check.Decision);
        Assert.Empty(check.BlockedBy);
        var status = Assert.Single(check.Budgets);
        Assert.Equal(BudgetState.Blocked, status.State);
        Assert.Equal(new MetricStatus(10m, 0m, 15m, 0m, 1.5m), status.Cost);

        var usage = await tenant.Record(Cost(5m)); // spend past the limit is recorded too
        Assert.Equal(new MetricStatus(10m, 5m, 15m, 0m, 2m), Assert.Single(usage.Budgets).Cost);
    }

    [Fact]
    public async Task Token_limit_is_enforced_on_its_own()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("tokens", new Limits(null, 1_000, null), thresholds: BlockOnly);

        Assert.True((await tenant.Reserve(new Amount(500m, 600, 1))).Granted); // cost and operations are unlimited
        var refused = await tenant.Reserve(new Amount(0m, 401, 0));
        Assert.False(refused.Granted);
        Assert.Equal<string>(["tokens"], refused.BlockedBy);
        Assert.True((await tenant.Reserve(new Amount(0m, 400, 0))).Granted);

        var status = await tenant.Status("tokens");
        Assert.Equal(new MetricStatus(1_000m, 0m, 1_000m, 0m, 1m), status.Tokens);
        Assert.Equal(BudgetState.Blocked, status.State);
    }

    [Fact]
    public async Task Operation_limit_is_enforced_on_its_own()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("ops", new Limits(null, null, 3), thresholds: BlockOnly);

        var granted = 0;
        for (var i = 0; i < 5; i++)
        {
            if ((await tenant.Reserve(new Amount(1_000m, 1_000_000, 1))).Granted)
            {
                granted++;
            }
        }

        Assert.Equal(3, granted);
        Assert.Equal(new MetricStatus(3m, 0m, 3m, 0m, 1m), (await tenant.Status("ops")).Operations);
    }

    [Fact]
    public async Task Cost_limit_holds_whatever_the_other_metrics_say()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("all", new Limits(1m, 1_000_000, 1_000), thresholds: BlockOnly);

        var refused = await tenant.Reserve(new Amount(1.01m, 1, 1));
        Assert.False(refused.Granted);
        Assert.Equal<string>(["all"], refused.BlockedBy);
        Assert.True((await tenant.Reserve(new Amount(1m, 1, 1))).Granted);
    }

    [Fact]
    public async Task A_metric_without_a_limit_is_still_reported_with_a_null_limit()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("cost-only", new Limits(10m, null, null));

        await tenant.Record(new Amount(2m, 1_234, 7));
        var reserved = await tenant.Reserve(new Amount(1m, 100, 1));
        Assert.True(reserved.Granted);

        var status = await tenant.Status("cost-only");
        Assert.Equal(new MetricStatus(null, 1_234m, 100m, null, null), status.Tokens);
        Assert.Equal(new MetricStatus(null, 7m, 1m, null, null), status.Operations);
        Assert.Equal(new MetricStatus(10m, 2m, 1m, 7m, 0.3m), status.Cost);
    }

    [Fact]
    public async Task Usage_that_no_budget_applies_to_is_admitted_and_charged_nowhere()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("alice", 1m, Attributes(("user", "alice")));

        var check = await tenant.Check(Cost(50m), Attributes(("user", "bob")));
        Assert.Equal(Decision.Allow, check.Decision);
        Assert.Empty(check.Budgets);

        var reserved = await tenant.Reserve(Cost(50m), Attributes(("user", "bob")));
        Assert.True(reserved.Granted);
        Assert.Equal(0m, (await tenant.Status("alice")).Cost.Reserved);
    }
}
