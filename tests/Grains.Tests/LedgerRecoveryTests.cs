using System.Collections.Immutable;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Reservations;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.Activations;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The ledger is the truth: a budget that missed an entry (its writer died before delivering it)
/// catches up before its next snapshot, and a reactivated budget is its snapshot plus the entries
/// after the snapshot's watermark — each counted once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LedgerRecoveryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_reactivated_budget_is_its_snapshot_plus_the_ledger_after_it()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(10m));
        var held = await tenant.Reserve(Cost(20m));
        await StoredSnapshots.WaitForAsync(fixture, tenant.Budget("b"), s => s.Spent.Cost == 10m && s.Holds.Count == 1, "the first snapshot");

        // After the snapshot: a usage and a commit, then the grain goes away and comes back.
        await tenant.Record(Cost(5m));
        await tenant.Commit(held.ReservationId!, Cost(18m));
        await Deactivate(tenant.Budget("b"));

        var status = await tenant.Status("b");
        Assert.Equal(new MetricStatus(100m, 33m, 0m, 67m, 0.33m), status.Cost);
    }

    [Fact]
    public async Task An_entry_its_writer_never_delivered_is_caught_up_before_the_next_snapshot()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(1m));

        // A coordinator that wrote the ledger and died before telling the budget.
        await ClusterFixture.Ledger.AppendAsync(new LedgerEntry(tenant.Id, "usage:orphan", LedgerEntryKind.Usage, null, ["b"],
            ImmutableSortedDictionary<string, string>.Empty, Cost(7m), null, "orphan", TestClock.Time.GetUtcNow(), null));
        await tenant.Record(Cost(2m)); // a change, so that a snapshot is due

        var snapshot = await StoredSnapshots.WaitForAsync(fixture, tenant.Budget("b"), s => s.Spent.Cost == 10m, "the caught-up snapshot");
        Assert.Equal(10m, (await tenant.Status("b")).Cost.Spent);
        Assert.DoesNotContain(snapshot.AppliedAbove, s => s <= snapshot.Watermark);

        await Deactivate(tenant.Budget("b"));
        Assert.Equal(10m, (await tenant.Status("b")).Cost.Spent); // and not 17 after replay
    }

    [Fact]
    public async Task A_granted_hold_survives_the_budget_going_away()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(8m), ttl: TimeSpan.FromHours(1));
        await Deactivate(tenant.Budget("b"));

        Assert.False((await tenant.Reserve(Cost(3m))).Granted);
        var commit = await tenant.Commit(held.ReservationId!, Cost(6m));
        Assert.Equal(Cost(8m), commit.Released);
        Assert.Equal(6m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task A_reservation_answers_retries_from_the_ledger_after_it_went_away()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var first = await tenant.Reserve(Cost(4m), idempotencyKey: "job-1");
        var reservation = fixture.Client.GetGrain<IReservationBookGrain>(ReservationBooks.KeyOf(tenant.Id, first.ReservationId!));
        await Deactivate(reservation);

        var retry = await tenant.Reserve(Cost(4m), idempotencyKey: "job-1");
        Assert.Equal((first.ReservationId, first.ExpiresAt, first.Decision), (retry.ReservationId, retry.ExpiresAt, retry.Decision));
        Assert.Equal(4m, (await tenant.Status("b")).Cost.Reserved);

        await tenant.Commit(first.ReservationId!, Cost(3m));
        await Deactivate(reservation);
        var again = await tenant.Commit(first.ReservationId!, Cost(9m));
        Assert.Equal(Cost(3m), again.Charged);
        Assert.Equal(3m, (await tenant.Status("b")).Cost.Spent);
    }
}
