using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>Daily budgets start at local midnight, so the days of a DST change last 23 or 25 hours.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DailyDstRolloverTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Spring_forward_day_in_Paris_lasts_23_hours()
    {
        const string paris = "Europe/Paris";
        var year = TestClock.Now.Year + 1;
        var sunday = Calendar.EuropeanSpringForward(year);
        var saturday = sunday.PlusDays(-1);
        TestClock.SetLocal(paris, saturday.At(new LocalTime(12, 0)));

        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("daily", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, paris));
        await tenant.Record(Cost(10m));
        var before = await tenant.Status("daily");
        Assert.Equal(Calendar.Instant(paris, saturday), before.PeriodStart);
        Assert.Equal(TimeSpan.FromHours(24), before.PeriodEnd - before.PeriodStart);

        TestClock.SetLocal(paris, sunday.At(new LocalTime(12, 0)));
        var usage = await tenant.Record(Cost(5m));
        var dstDay = Assert.Single(usage.Budgets);
        Assert.Equal(Calendar.Instant(paris, sunday), dstDay.PeriodStart);
        Assert.Equal(new DateTimeOffset(saturday.Year, saturday.Month, saturday.Day, 23, 0, 0, TimeSpan.Zero), dstDay.PeriodStart); // midnight CET
        Assert.Equal(new DateTimeOffset(sunday.Year, sunday.Month, sunday.Day, 22, 0, 0, TimeSpan.Zero), dstDay.PeriodEnd); // midnight CEST
        Assert.Equal(TimeSpan.FromHours(23), dstDay.PeriodEnd - dstDay.PeriodStart);
        Assert.Equal(5m, dstDay.Cost.Spent);

        // Just before and just after the end of the short day, in UTC.
        TestClock.Time.SetUtcNow(dstDay.PeriodEnd!.Value - TimeSpan.FromSeconds(1));
        Assert.Equal(5m, (await tenant.Status("daily")).Cost.Spent);
        TestClock.Time.SetUtcNow(dstDay.PeriodEnd!.Value);
        var monday = await tenant.Status("daily");
        Assert.Equal(dstDay.PeriodEnd, monday.PeriodStart);
        Assert.Equal(TimeSpan.FromHours(24), monday.PeriodEnd - monday.PeriodStart);
        Assert.Equal(0m, monday.Cost.Spent);

        var history = await tenant.Budget("daily").GetHistory();
        Assert.Equal(2, history.Length);
        Assert.Equal((dstDay.PeriodStart, dstDay.PeriodEnd!.Value, Spent(5m)), (history[0].PeriodStart, history[0].PeriodEnd, history[0].Spent));
        Assert.Equal((before.PeriodStart, before.PeriodEnd!.Value, Spent(10m)), (history[1].PeriodStart, history[1].PeriodEnd, history[1].Spent));
        Assert.Equal(TimeSpan.FromHours(23), history[0].PeriodEnd - history[0].PeriodStart);
    }

    [Fact]
    public async Task Fall_back_day_in_New_York_lasts_25_hours()
    {
        const string newYork = "America/New_York";
        var year = TestClock.Now.Year + 1;
        var sunday = Calendar.UsFallBack(year);
        TestClock.SetLocal(newYork, sunday.At(new LocalTime(0, 30)));

        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("daily", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, newYork));
        await tenant.Record(Cost(40m));
        var dstDay = await tenant.Status("daily");
        Assert.Equal(new DateTimeOffset(sunday.Year, sunday.Month, sunday.Day, 4, 0, 0, TimeSpan.Zero), dstDay.PeriodStart); // midnight EDT
        Assert.Equal(new DateTimeOffset(sunday.Year, sunday.Month, sunday.Day, 5, 0, 0, TimeSpan.Zero).AddDays(1), dstDay.PeriodEnd); // midnight EST
        Assert.Equal(TimeSpan.FromHours(25), dstDay.PeriodEnd - dstDay.PeriodStart);

        // 23:30 local is 24 h 30 min after midnight: still the same day, the same spend.
        TestClock.SetLocal(newYork, sunday.At(new LocalTime(23, 30)));
        Assert.Equal(TimeSpan.FromHours(24.5), TestClock.Now - dstDay.PeriodStart);
        Assert.Equal(40m, (await tenant.Status("daily")).Cost.Spent);

        TestClock.SetLocal(newYork, sunday.PlusDays(1).At(new LocalTime(0, 0)));
        var check = await tenant.Check(Cost(1m));
        var monday = Assert.Single(check.Budgets);
        Assert.Equal(dstDay.PeriodEnd, monday.PeriodStart);
        Assert.Equal(0m, monday.Cost.Spent);
        var closed = Assert.Single(await tenant.Budget("daily").GetHistory());
        Assert.Equal(TimeSpan.FromHours(25), closed.PeriodEnd - closed.PeriodStart);
        Assert.Equal(Spent(40m), closed.Spent);
    }
}
