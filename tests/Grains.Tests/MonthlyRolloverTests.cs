using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>A monthly budget in Paris time rolls over at local midnight of the 1st, on the next call.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MonthlyRolloverTests(ClusterFixture fixture)
{
    private const string Paris = "Europe/Paris";
    private static readonly PeriodSpec MonthlyInParis = new(PeriodType.Monthly, Paris);

    [Fact]
    public async Task Next_call_after_the_local_month_end_starts_a_new_period_and_files_the_old_one()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 15, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: MonthlyInParis);
        await tenant.Record(Cost(30m));

        var november = await tenant.Status("monthly");
        var novemberStart = Calendar.Instant(Paris, new LocalDate(year, 11, 1));
        var decemberStart = Calendar.Instant(Paris, new LocalDate(year, 12, 1));
        Assert.Equal(novemberStart, november.PeriodStart);
        Assert.Equal(new DateTimeOffset(year, 10, 31, 23, 0, 0, TimeSpan.Zero), november.PeriodStart); // CET, UTC+1
        Assert.Equal(decemberStart, november.PeriodEnd);

        // A minute before local midnight: still November.
        TestClock.SetLocal(Paris, new LocalDateTime(year, 11, 30, 23, 59));
        Assert.Equal(30m, (await tenant.Status("monthly")).Cost.Spent);

        // Half an hour after local midnight it is still November in UTC, but December in Paris.
        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 0, 30));
        Assert.Equal(11, TestClock.Now.Month);
        var check = await tenant.Check(Cost(90m));
        Assert.Equal(Decision.Throttle, check.Decision); // 90 of a fresh 100, not 120
        var december = Assert.Single(check.Budgets);
        Assert.Equal(decemberStart, december.PeriodStart);
        Assert.Equal(Calendar.Instant(Paris, new LocalDate(year + 1, 1, 1)), december.PeriodEnd);
        Assert.Equal(0m, december.Cost.Spent);
        Assert.Equal(BudgetState.Ok, december.State);

        var history = await tenant.Budget("monthly").GetHistory();
        var closed = Assert.Single(history);
        Assert.Equal(novemberStart, closed.PeriodStart);
        Assert.Equal(decemberStart, closed.PeriodEnd);
        Assert.Equal(Spent(30m), closed.Spent);
        Assert.Equal(new Limits(100m, null, null), closed.Limits);
        Assert.Equal(BudgetState.Ok, closed.FinalState);
    }

    [Fact]
    public async Task Hold_taken_in_one_month_carries_over_and_its_commit_is_charged_to_the_new_month()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 30, 22);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: MonthlyInParis);
        await tenant.Record(Cost(80m));
        var held = await tenant.Reserve(Cost(15m), ttl: TimeSpan.FromHours(6));
        Assert.True(held.Granted);

        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 1, 0));
        var december = await tenant.Status("monthly");
        Assert.Equal(0m, december.Cost.Spent);
        Assert.Equal(15m, december.Cost.Reserved);

        await tenant.Commit(held.ReservationId!, Cost(12m));
        Assert.Equal(new MetricStatus(100m, 12m, 0m, 88m, 0.12m), (await tenant.Status("monthly")).Cost);
        var closed = Assert.Single(await tenant.Budget("monthly").GetHistory());
        Assert.Equal(Spent(80m), closed.Spent);
        Assert.Equal(BudgetState.Warning, closed.FinalState);
    }

    [Fact]
    public async Task Blocked_budget_opens_again_in_the_next_month()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 20, 9);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: MonthlyInParis);
        await tenant.Record(Cost(100m));
        Assert.False((await tenant.Reserve(Cost(1m))).Granted);

        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 0, 0));
        var reserved = await tenant.Reserve(Cost(1m));
        Assert.True(reserved.Granted);
        Assert.Equal(Calendar.Instant(Paris, new LocalDate(year, 12, 1)), Assert.Single(reserved.Budgets).PeriodStart);
        Assert.Equal(BudgetState.Blocked, Assert.Single(await tenant.Budget("monthly").GetHistory()).FinalState);
    }
}
