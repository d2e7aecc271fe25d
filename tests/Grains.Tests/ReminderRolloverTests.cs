using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The "period-rollover" reminder closes a period even when nothing calls the budget, and never
/// twice. The reminder service runs on real time, so the test delivers the tick itself, through the
/// grain's IRemindable interface as the reminder service does, and reads the effect from grain
/// storage — any other call to the grain would roll the period over lazily and prove nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReminderRolloverTests(ClusterFixture fixture)
{
    private const string Paris = "Europe/Paris";
    private const string RolloverReminder = "period-rollover";

    [Fact]
    public async Task Reminder_alone_rolls_the_period_over_once()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        await tenant.Record(Cost(30m));
        var budget = tenant.Budget("monthly");
        var novemberStart = Calendar.Instant(Paris, new LocalDate(year, 11, 1));
        var decemberStart = Calendar.Instant(Paris, new LocalDate(year, 12, 1));
        await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Spent.Cost == 30m, "the November spend to be stored");

        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 0, 5));
        var untouched = await StoredSnapshots.ReadAsync(fixture, budget);
        Assert.Equal(novemberStart, untouched.Period.Start); // nothing rolled it yet

        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);

        var rolled = await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Period.Start == decemberStart, "the reminder's rollover to be stored");
        Assert.Equal(Tally.Zero, rolled.Spent);
        var closed = Assert.Single(rolled.History);
        Assert.Equal((novemberStart, decemberStart, Spent(30m)), (closed.PeriodStart, closed.PeriodEnd, closed.Spent));

        // The reminder again, then a call that would roll lazily: still one closed period.
        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);
        var status = await tenant.Status("monthly");
        Assert.Equal(decemberStart, status.PeriodStart);
        Assert.Equal(0m, status.Cost.Spent);
        Assert.Single(await budget.GetHistory());
    }

    [Fact]
    public async Task Reminder_alone_closes_a_25_hour_day()
    {
        const string newYork = "America/New_York";
        var sunday = Calendar.UsFallBack(TestClock.Now.Year + 1);
        TestClock.SetLocal(newYork, sunday.At(new LocalTime(9, 0)));
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("daily", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, newYork));
        await tenant.Record(Cost(7m));
        var budget = tenant.Budget("daily");
        var sundayStart = Calendar.Instant(newYork, sunday);
        var mondayStart = Calendar.Instant(newYork, sunday.PlusDays(1));
        await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Spent.Cost == 7m, "the Sunday spend to be stored");

        TestClock.SetLocal(newYork, sunday.PlusDays(1).At(new LocalTime(0, 1)));
        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);

        var rolled = await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Period.Start == mondayStart, "the reminder's rollover to be stored");
        var closed = Assert.Single(rolled.History);
        Assert.Equal((sundayStart, mondayStart, Spent(7m)), (closed.PeriodStart, closed.PeriodEnd, closed.Spent));
        Assert.Equal(TimeSpan.FromHours(25), closed.PeriodEnd - closed.PeriodStart);
        Assert.Equal(TimeSpan.FromHours(24), rolled.Period.End - rolled.Period.Start);
    }

    [Fact]
    public async Task Reminder_after_a_lazy_rollover_files_nothing_more()
    {
        var year = TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        await tenant.Record(Cost(12m));
        var budget = tenant.Budget("monthly");

        TestClock.SetLocal(Paris, new LocalDateTime(year, 12, 1, 0, 5));
        await tenant.Record(Cost(1m)); // rolls lazily, then charges December
        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);
        await budget.AsReference<IRemindable>().ReceiveReminder(RolloverReminder, default);

        var closed = Assert.Single(await budget.GetHistory());
        Assert.Equal(Spent(12m), closed.Spent);
        Assert.Equal(1m, (await tenant.Status("monthly")).Cost.Spent);
    }

    [Fact]
    public async Task Budget_with_a_period_end_registers_the_rollover_reminder_and_drops_it_when_deleted()
    {
        TestClock.JumpToLocal(Paris, 11, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("monthly", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, Paris));
        await tenant.PutBudget("total", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Total, "UTC"));

        var reminder = await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("monthly"), RolloverReminder);
        Assert.NotNull(reminder);
        Assert.InRange(reminder.Period, TimeSpan.FromDays(28), TimeSpan.FromDays(31)); // about a month, ticking at each period end
        Assert.Null(await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("total"), RolloverReminder)); // a total budget never rolls

        Assert.True(await tenant.Grain.DeleteBudget("monthly"));
        Assert.Null(await StoredSnapshots.ReminderAsync(fixture, tenant.Budget("monthly"), RolloverReminder));
    }
}
