using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;
using static BudgetActors.Grains.Tests.Periods.PeriodGrains;

namespace BudgetActors.Grains.Tests.Periods;

/// <summary>A rolling budget admits on the spend of its window, which slides lazily: no reminder, no closed periods.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RollingWindowGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Spend_blocks_until_it_has_left_the_window_and_then_admits_again()
    {
        TestClock.JumpToLocal("UTC", 2, 10, 12);
        var start = TestClock.Now;
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("hourly", new Limits(10m, null, null), period: Rolling(60));
        await tenant.Record(Cost(8m));

        TestClock.Advance(TimeSpan.FromMinutes(30));
        var refused = await tenant.Check(Cost(5m));
        Assert.Equal(Decision.Block, refused.Decision);
        var window = Assert.Single(refused.Budgets);
        Assert.Equal((8m, start.AddMinutes(-30), start.AddMinutes(31)), (window.Cost.Spent, window.PeriodStart, window.PeriodEnd!.Value));

        TestClock.Advance(TimeSpan.FromMinutes(31)); // 61 minutes on: the 12:00 bucket has left the window
        var admitted = await tenant.Check(Cost(5m));
        Assert.Equal(Decision.Allow, admitted.Decision);
        Assert.Equal(0m, Assert.Single(admitted.Budgets).Cost.Spent);

        Assert.Null(await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("hourly"), RolloverReminder));
        Assert.Empty(await tenant.Budget("hourly").GetHistory());
    }

    [Fact]
    public async Task A_budget_that_becomes_rolling_closes_its_period_and_drops_its_reminder()
    {
        TestClock.JumpToLocal("UTC", 2, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(10m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        await tenant.Record(Cost(3m));
        Assert.NotNull(await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("b"), RolloverReminder));

        await tenant.PutBudget("b", new Limits(10m, null, null), period: Rolling(60));

        var closed = Assert.Single(await tenant.Budget("b").GetHistory());
        Assert.Equal((Spent(3m), PeriodCloseKind.Changed), (closed.Spent, closed.Closed));
        Assert.Equal(0m, (await tenant.Status("b")).Cost.Spent);
        Assert.Null(await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("b"), RolloverReminder));
    }
}
