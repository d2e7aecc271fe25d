using BudgetActors.Domain;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.Activations;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>One rule for where spend counts, live and on replay; and a budget defined again after a delete starts afresh.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PeriodAndIncarnationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Usage_recorded_before_midnight_and_delivered_after_counts_in_the_old_day_live_and_on_replay()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("daily", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        TestClock.SetLocal("UTC", NodaTime.LocalDateTime.FromDateTime(TestClock.Now.UtcDateTime.Date.AddDays(1).AddSeconds(-1)));
        await tenant.Record(Cost(10m));
        var lastMoment = TestClock.Now.AddMilliseconds(999);

        // Its writer recorded it at 23:59:59.999 and died before delivering it; the budget rolls over first.
        await ClusterFixture.Ledger.AppendAsync(new LedgerEntry(tenant.Id, LedgerKeys.Usage("late"), LedgerEntryKind.Usage, null, ["daily"],
            Attributes(), Cost(7m), null, "late", lastMoment, null));
        TestClock.Advance(TimeSpan.FromSeconds(2));
        await tenant.Record(Cost(1m));
        await Deactivate(tenant.Budget("daily")); // it catches up (live), then replays from its snapshot

        var live = await tenant.Budget("daily").GetHistory();
        Assert.Equal(17m, Assert.Single(live).Spent.Cost);
        Assert.Equal(1m, (await tenant.Status("daily")).Cost.Spent);
    }

    [Fact]
    public async Task A_budget_defined_again_after_a_delete_does_not_count_what_was_written_for_the_deleted_one()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        var held = await tenant.Reserve(Cost(30m), ttl: TimeSpan.FromHours(1));
        Assert.True(await tenant.Grain.DeleteBudget("b"));

        await tenant.Commit(held.ReservationId!, Cost(25m)); // the reservation was granted on the deleted budget
        await tenant.PutCostBudget("b", 100m);
        await Deactivate(tenant.Budget("b"));

        Assert.Equal(new MetricStatus(100m, 0m, 0m, 100m, 0m), (await tenant.Status("b")).Cost);
        Assert.Equal(0m, Assert.Single(await tenant.Budget("b").GetHistory()).Spent.Cost);
    }
}
