using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.Activations;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;
using static BudgetActors.Grains.Tests.Periods.PeriodGrains;

namespace BudgetActors.Grains.Tests.Periods;

/// <summary>
/// A manual reset through the budget grain: the period closes now into a record marked as a reset, the
/// rest starts afresh, holds stay, an event records it, and the ledger makes it exact under concurrent
/// spend and across a restart.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ManualResetGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Under_concurrent_usage_every_charge_is_counted_once_either_side_of_the_cut_and_a_replay_agrees()
    {
        TestClock.JumpToLocal("UTC", 3, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(1_000_000m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        var budget = tenant.Budget("b");
        await tenant.Record(Cost(1m));
        await StoredSnapshots.WaitForAsync(fixture, budget, s => s.Spent.Cost == 1m, "a snapshot from before the reset");

        // Nothing is stored after this: the budget that comes back must rebuild the reset from the ledger.
        ResetResult? reset;
        decimal charged = 1m;
        using (FaultyGrainStorage.Inject(budget.GetGrainId(), StorageFault.WritesFail))
        {
            // Usage before, during and after the reset, each wave started while the one before still runs.
            var amounts = Enumerable.Range(0, 240).Select(i => 0.25m + i % 7).ToList();
            Task<UsageResult> Record(int i) => Task.Run(() => tenant.Record(Cost(amounts[i])));
            var before = Enumerable.Range(0, 100).Select(Record).ToList();
            while (before.Count(t => t.IsCompleted) < 20)
            {
                await Task.Delay(5);
            }

            TestClock.Advance(TimeSpan.FromMilliseconds(3)); // spend recorded on both sides of the reset's time
            var resetting = Task.Run(() => budget.Reset("quarterly reconciliation"));
            var during = Enumerable.Range(100, 100).Select(Record).ToList();
            TestClock.Advance(TimeSpan.FromMilliseconds(3));
            reset = await resetting;
            var after = Enumerable.Range(200, 40).Select(Record).ToList();
            await Task.WhenAll(before.Concat(during).Concat(after));
            charged += amounts.Sum();

            var closed = reset!.Closed!;
            var history = await budget.GetHistory();
            var record = Assert.Single(history);
            var status = await tenant.Status("b");
            Assert.True(record.ManualReset);
            Assert.Equal("quarterly reconciliation", record.Reason);
            Assert.Equal(charged, record.Spent.Cost + status.Cost.Spent);
            Assert.True(record.Spent.Cost >= 1m && status.Cost.Spent > 0m, "spend on both sides of the cut");
            Assert.Equal(closed.PeriodEnd, status.PeriodStart);
            Assert.Equal(TestClock.Now.Date.AddDays(1), status.PeriodEnd!.Value.UtcDateTime); // still ends at midnight

            await Deactivate(budget);
            var replayed = await tenant.Status("b");
            Assert.Equal(status.Cost, replayed.Cost);
            Assert.Equal(history.AsEnumerable(), await budget.GetHistory()); // as records: ImmutableArray's own equality is by reference
        }

        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "b", Type: AuditEventTypes.BudgetReset));
        var logged = Assert.Single(trail.Items);
        Assert.Contains("quarterly reconciliation", logged.Data);
        Assert.Equal(reset!.Closed!.PeriodEnd, logged.At);
    }

    [Fact]
    public async Task Holds_carry_over_and_spend_after_the_reset_counts_in_the_rest_of_the_period()
    {
        TestClock.JumpToLocal("UTC", 3, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(10m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        await tenant.Record(Cost(9m));
        var held = await tenant.Reserve(Cost(3m));
        Assert.False(held.Granted); // 9 + 3 passes 10

        var small = await tenant.Reserve(Cost(1m));
        Assert.True(small.Granted);
        TestClock.Advance(TimeSpan.FromMinutes(1));
        var reset = await tenant.Budget("b").Reset("refund received");

        Assert.Equal(Spent(9m), reset!.Closed!.Spent);
        Assert.Equal((0m, 1m), (reset.Status.Cost.Spent, reset.Status.Cost.Reserved)); // the hold stays
        Assert.True((await tenant.Reserve(Cost(8m))).Granted);

        await tenant.Commit(small.ReservationId!, Cost(0.5m));
        var status = await tenant.Status("b");
        Assert.Equal((0.5m, 8m), (status.Cost.Spent, status.Cost.Reserved));
        Assert.Equal(Spent(9m), Assert.Single(await tenant.Budget("b").GetHistory()).Spent);
    }

    [Fact]
    public async Task Late_usage_from_before_the_reset_lands_in_the_reset_record_and_not_in_the_current_period()
    {
        TestClock.JumpToLocal("UTC", 3, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        await tenant.Record(Cost(5m));
        var before = TestClock.Now;
        TestClock.Advance(TimeSpan.FromHours(1));
        await tenant.Budget("b").Reset("reset");
        TestClock.Advance(TimeSpan.FromHours(1));

        var late = await tenant.RecordAt(4m, before.AddMinutes(30));
        Assert.Equal(0m, Assert.Single(late.Budgets).Cost.Spent);
        await tenant.RecordAt(2m, TestClock.Now.AddMinutes(-1));

        var record = Assert.Single(await tenant.Budget("b").GetHistory());
        Assert.Equal((Spent(9m), true), (record.Spent, record.ManualReset));
        Assert.Equal(2m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task A_reset_without_a_reason_is_refused_and_changes_nothing()
    {
        TestClock.JumpToLocal("UTC", 3, 10, 12);
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC"));
        await tenant.Record(Cost(5m));

        var refused = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Budget("b").Reset(" "));
        Assert.Equal(ProblemKind.InvalidRequest, refused.Kind);
        Assert.Empty(await tenant.Budget("b").GetHistory());
        Assert.Equal(5m, (await tenant.Status("b")).Cost.Spent);
        Assert.Null(await tenant.Budget("never-defined").Reset("reason"));
    }
}
