using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// States (from what is used) and decisions (from what would be used after the request) at each
/// threshold: default 75% warn, 90% throttle, 100% block, and custom ones.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ThresholdDecisionTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(0, 50, Decision.Allow, null)]
    [InlineData(0, 75, Decision.Warn, null)]
    [InlineData(0, 89, Decision.Warn, null)]
    [InlineData(0, 90, Decision.Throttle, 1.0)]
    [InlineData(0, 95, Decision.Throttle, 0.5)]
    [InlineData(60, 38, Decision.Throttle, 0.2)]
    [InlineData(0, 100, Decision.Throttle, 0.0)]
    [InlineData(0, 101, Decision.Block, null)]
    [InlineData(99, 2, Decision.Block, null)]
    public async Task Decision_follows_the_projected_use_of_the_limit(int spent, int estimate, Decision expected, double? throttleFactor)
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        if (spent > 0)
        {
            await tenant.Record(Cost(spent));
        }

        var check = await tenant.Check(Cost(estimate));

        Assert.Equal(expected, check.Decision);
        Assert.Equal(throttleFactor is { } f ? (decimal)f : null, check.ThrottleFactor);
        Assert.Null(check.DowngradeTo);
        Assert.Equal<string>(expected == Decision.Block ? ["b"] : [], check.BlockedBy);
    }

    [Fact]
    public async Task Throttle_factor_lies_strictly_between_0_and_1_inside_the_band()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(90m));

        var factors = new List<decimal>();
        foreach (var estimate in new[] { 1m, 3m, 5m, 7m, 9m })
        {
            var check = await tenant.Check(Cost(estimate));
            Assert.Equal(Decision.Throttle, check.Decision);
            factors.Add(check.ThrottleFactor!.Value);
        }

        Assert.All(factors, f => Assert.InRange(f, 0.01m, 0.99m));
        Assert.Equal(factors.OrderDescending(), factors); // the closer to the block threshold, the slower
    }

    [Theory]
    [InlineData(0, 0, BudgetState.Ok)]
    [InlineData(40, 34, BudgetState.Ok)]
    [InlineData(40, 35, BudgetState.Warning)]
    [InlineData(45, 45, BudgetState.Throttled)]
    [InlineData(50, 50, BudgetState.Blocked)]
    [InlineData(130, 0, BudgetState.Blocked)]
    public async Task State_counts_spend_and_holds(int spent, int held, BudgetState expected)
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        if (spent > 0)
        {
            await tenant.Record(Cost(spent));
        }

        if (held > 0)
        {
            Assert.True((await tenant.Reserve(Cost(held))).Granted);
        }

        Assert.Equal(expected, (await tenant.Status("b")).State);
    }

    [Fact]
    public async Task Each_state_is_reached_in_turn_as_spend_grows()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);

        var states = new List<BudgetState>();
        foreach (var spend in new[] { 10m, 70m, 12m, 8m })
        {
            var usage = await tenant.Record(Cost(spend));
            states.Add(Assert.Single(usage.Budgets).State);
        }

        Assert.Equal([BudgetState.Ok, BudgetState.Warning, BudgetState.Throttled, BudgetState.Blocked], states);
        var refused = await tenant.Reserve(Cost(0.01m));
        Assert.False(refused.Granted);
        Assert.Equal<string>(["b"], refused.BlockedBy);
    }

    [Fact]
    public async Task Budget_with_a_downgrade_model_answers_downgrade_instead_of_throttle()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(100m, null, null), downgradeTo: "gpt-4o-mini");

        var check = await tenant.Check(Cost(95m));
        Assert.Equal(Decision.Downgrade, check.Decision);
        Assert.Equal("gpt-4o-mini", check.DowngradeTo);
        Assert.Null(check.ThrottleFactor);

        var reserved = await tenant.Reserve(Cost(95m));
        Assert.True(reserved.Granted); // a downgrade is admitted: the caller switches models
        Assert.Equal(Decision.Downgrade, reserved.Decision);
        Assert.Equal("gpt-4o-mini", reserved.DowngradeTo);

        Assert.Equal(BudgetState.Throttled, Assert.Single(reserved.Budgets).State);
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(6m))).Decision);
    }

    [Fact]
    public async Task Custom_thresholds_move_every_boundary()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(200m, null, null), thresholds: new Thresholds(0.5m, 0.6m, 0.8m));

        Assert.Equal(Decision.Allow, (await tenant.Check(Cost(99m))).Decision);
        Assert.Equal(Decision.Warn, (await tenant.Check(Cost(100m))).Decision);
        var throttle = await tenant.Check(Cost(130m));
        Assert.Equal(Decision.Throttle, throttle.Decision);
        Assert.Equal(0.75m, throttle.ThrottleFactor); // 65% in a 60–80% band
        Assert.Equal(Decision.Throttle, (await tenant.Check(Cost(160m))).Decision);
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(160.000001m))).Decision);

        await tenant.Record(Cost(120m));
        Assert.Equal(BudgetState.Throttled, (await tenant.Status("b")).State);
        Assert.False((await tenant.Reserve(Cost(41m))).Granted);
        Assert.True((await tenant.Reserve(Cost(40m))).Granted);
        Assert.Equal(BudgetState.Blocked, (await tenant.Status("b")).State);
    }

    [Fact]
    public async Task Negative_priority_is_refused_from_the_throttle_threshold_on()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(85m));

        // Up to the throttle threshold background work is treated like any other.
        Assert.Equal(Decision.Warn, (await tenant.Check(Cost(4m), priority: -1)).Decision);
        Assert.Equal(Decision.Throttle, (await tenant.Check(Cost(5m), priority: -1)).Decision);

        // Past it, background work is blocked while normal work is only throttled.
        var background = await tenant.Check(Cost(6m), priority: -1);
        Assert.Equal(Decision.Block, background.Decision);
        Assert.Equal<string>(["b"], background.BlockedBy);
        Assert.Equal(Decision.Throttle, (await tenant.Check(Cost(6m), priority: 0)).Decision);

        var refused = await tenant.Reserve(Cost(6m), priority: -1);
        Assert.False(refused.Granted);
        Assert.Equal(0m, (await tenant.Status("b")).Cost.Reserved);
        var granted = await tenant.Reserve(Cost(6m), priority: 5);
        Assert.True(granted.Granted);
        Assert.Equal(Decision.Throttle, granted.Decision);
    }

    [Fact]
    public async Task Decision_over_several_budgets_is_the_most_restrictive()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("tenant", 1_000m);
        await tenant.PutCostBudget("alice", 100m, Attributes(("user", "alice")));
        await tenant.PutBudget("alice-gpt", new Limits(50m, null, null), Attributes(("user", "alice"), ("model", "gpt-4o")),
            downgradeTo: "gpt-4o-mini");
        var aliceGpt = Attributes(("user", "alice"), ("model", "gpt-4o"));

        // 46 of 50 (downgrade), 46 of 100 (allow), 46 of 1000 (allow).
        var check = await tenant.Check(Cost(46m), aliceGpt);
        Assert.Equal(Decision.Downgrade, check.Decision);
        Assert.Equal("gpt-4o-mini", check.DowngradeTo);
        Assert.Equal<string>(["alice-gpt", "alice", "tenant"], check.Budgets.Select(b => b.BudgetId));

        // Another model of alice's is not downgraded, but her user budget warns at 80 of 100.
        await tenant.Record(Cost(70m), Attributes(("user", "alice"), ("model", "o3")));
        var other = await tenant.Check(Cost(10m), Attributes(("user", "alice"), ("model", "o3")));
        Assert.Equal(Decision.Warn, other.Decision);
        Assert.Equal<string>(["alice", "tenant"], other.Budgets.Select(b => b.BudgetId));

        var blocked = await tenant.Check(Cost(51m), aliceGpt);
        Assert.Equal(Decision.Block, blocked.Decision);
        Assert.Equal<string>(["alice-gpt", "alice"], blocked.BlockedBy);
    }
}
