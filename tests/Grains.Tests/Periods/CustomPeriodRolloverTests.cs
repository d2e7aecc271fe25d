using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;
using static BudgetActors.Grains.Tests.Periods.PeriodGrains;

namespace BudgetActors.Grains.Tests.Periods;

/// <summary>
/// Custom periods roll over like calendar ones — by the rollover reminder, and lazily on the first call
/// after the boundary — on boundaries that keep their local time across DST changes in Paris. Late
/// usage lands in the closed period's record.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomPeriodRolloverTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_reminder_alone_closes_a_day_long_custom_period_that_lasted_23_hours()
    {
        var sunday = Calendar.EuropeanSpringForward(TestClock.Now.Year + 1);
        var saturday = sunday.PlusDays(-1);
        TestClock.SetLocal(Paris, saturday.At(new LocalTime(12, 0)));
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("sprint", new Limits(100m, null, null), period: Custom(Calendar.Instant(Paris, sunday.PlusDays(-2), 9), 1440));
        await tenant.Record(Cost(10m));
        var budget = tenant.Budget("sprint");
        var opened = Calendar.Instant(Paris, saturday, 9);
        var closes = Calendar.Instant(Paris, sunday, 9);
        var status = await tenant.Status("sprint");
        Assert.Equal((opened, closes), (status.PeriodStart, status.PeriodEnd!.Value));
        Assert.Equal(TimeSpan.FromHours(23), closes - opened);
        Assert.NotNull(await StoredSnapshots.ReminderAsync(fixture, budget, RolloverReminder));
        await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Spent.Cost == 10m, "the Saturday spend to be stored");

        TestClock.SetLocal(Paris, sunday.At(new LocalTime(9, 1)));
        Assert.Equal(opened, (await StoredSnapshots.ReadAsync(fixture, budget)).Period.Start); // nothing rolled it yet
        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);

        var rolled = await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Period.Start == closes, "the reminder's rollover to be stored");
        var closed = Assert.Single(rolled.History);
        Assert.Equal((opened, closes, Spent(10m), PeriodCloseKind.Rollover), (closed.PeriodStart, closed.PeriodEnd, closed.Spent, closed.Closed));
        Assert.Equal(Calendar.Instant(Paris, sunday.PlusDays(1), 9), rolled.Period.End);
        Assert.Equal(TimeSpan.FromHours(24), rolled.Period.End - rolled.Period.Start);
    }

    [Fact]
    public async Task The_first_call_after_the_boundary_closes_a_25_hour_custom_period_and_late_usage_goes_to_its_record()
    {
        var sunday = EuropeanFallBack(TestClock.Now.Year + 1);
        var saturday = sunday.PlusDays(-1);
        TestClock.SetLocal(Paris, saturday.At(new LocalTime(12, 0)));
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("sprint", new Limits(100m, null, null), period: Custom(Calendar.Instant(Paris, saturday, 9), 1440));
        await tenant.Record(Cost(7m));
        var opened = Calendar.Instant(Paris, saturday, 9);
        var closes = Calendar.Instant(Paris, sunday, 9);
        Assert.Equal(TimeSpan.FromHours(25), closes - opened);

        TestClock.SetLocal(Paris, sunday.At(new LocalTime(8, 59)));
        Assert.Equal(7m, (await tenant.Status("sprint")).Cost.Spent); // 24 h 59 min in: the same period

        TestClock.SetLocal(Paris, sunday.At(new LocalTime(9, 30)));
        var check = Assert.Single((await tenant.Check(Cost(1m))).Budgets);
        Assert.Equal((closes, 0m), (check.PeriodStart, check.Cost.Spent));

        // Usage that happened at 08:00 on Sunday, reported now: the closed period's, not this one's.
        var late = await tenant.RecordAt(2m, Calendar.Instant(Paris, sunday, 8));
        Assert.Equal(0m, Assert.Single(late.Budgets).Cost.Spent);
        var closed = Assert.Single(await tenant.Budget("sprint").GetHistory());
        Assert.Equal((opened, closes, Spent(9m)), (closed.PeriodStart, closed.PeriodEnd, closed.Spent));
        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "sprint"));
        Assert.Single(trail.Items, e => e.Type == AuditEventTypes.UsageLate);
        Assert.Single(trail.Items, e => e.Type == AuditEventTypes.PeriodClosed);
    }
}
