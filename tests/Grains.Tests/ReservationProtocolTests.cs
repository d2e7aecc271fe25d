using System.Collections.Immutable;
using BudgetActors.Domain;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Reservations;
using BudgetActors.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static BudgetActors.Grains.Tests.Infrastructure.Activations;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// The reservation protocol under faults: ledger writes that are slow, that fail before or after
/// their commit, budgets that lose their tentative holds, coordinators that die between writing and
/// delivering. Whatever happens, no two reservations own the same room, a hold never comes back
/// after it ended, and every answer agrees with the ledger.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationProtocolTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static FaultyLedger Ledger => ClusterFixture.Ledger;

    private static Func<LedgerEntry, bool> HoldOf(string idempotencyKey) =>
        e => e.Kind == LedgerEntryKind.Hold && e.ReservationId == RequestIdentity.ReservationId(idempotencyKey);

    [Fact]
    public async Task A_tentative_hold_whose_lease_lapses_during_a_slow_write_never_comes_back_as_a_firm_one()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        using var slow = Ledger.Inject(tenant.Id, LedgerFault.Slow, HoldOf("r1"));

        var first = tenant.Reserve(Cost(60m), idempotencyKey: "r1");
        await slow.FirstHit.Task.WaitAsync(Patience);
        TestClock.Advance(BudgetGrain.TentativeLease + TimeSpan.FromSeconds(1));

        // The budget settles the lapsed hold through the ledger, then gives its room to the next reservation.
        var second = await tenant.Reserve(Cost(60m), idempotencyKey: "r2");
        slow.Release();
        var firstAnswer = await first.WaitAsync(Patience);

        Assert.True(second.Granted);
        Assert.False(firstAnswer.Granted);
        Assert.Equal(60m, (await tenant.Status("b")).Cost.Reserved);
        var stored = await Ledger.FindAsync(tenant.Id, LedgerKeys.Hold(RequestIdentity.ReservationId("r1")));
        Assert.Equal(LedgerEntryKind.Refusal, stored?.Entry.Kind);
    }

    [Fact]
    public async Task A_hold_written_after_its_budget_lost_the_tentative_hold_is_voided_on_every_budget()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("alice", 100m, Attributes(("user", "alice")));
        await tenant.PutCostBudget("all", 1000m);
        using var slow = Ledger.Inject(tenant.Id, LedgerFault.Slow, HoldOf("r1"));

        var first = tenant.Reserve(Cost(60m), Attributes(("user", "alice")), idempotencyKey: "r1");
        await slow.FirstHit.Task.WaitAsync(Patience);
        await Deactivate(tenant.Budget("alice")); // its tentative hold of r1 goes with it, as in a silo crash

        var second = await tenant.Reserve(Cost(60m), Attributes(("user", "alice")), idempotencyKey: "r2");
        slow.Release();
        var firstAnswer = await first.WaitAsync(Patience);

        Assert.True(second.Granted);
        Assert.False(firstAnswer.Granted);
        Assert.Equal<string>(["alice"], firstAnswer.BlockedBy);
        Assert.Equal(60m, (await tenant.Status("alice")).Cost.Reserved);
        Assert.Equal(60m, (await tenant.Status("all")).Cost.Reserved); // the void freed it on the wider budget too
        Assert.NotNull(await Ledger.FindAsync(tenant.Id, LedgerKeys.Void(RequestIdentity.ReservationId("r1"))));
        await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Commit(RequestIdentity.ReservationId("r1"), Cost(1m)));
    }

    [Fact]
    public async Task A_commit_after_the_coordinator_died_between_writing_and_delivering_the_hold_leaves_no_hold_behind()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        var reservationId = RequestIdentity.ReservationId("r1");

        // A coordinator took the tentative hold and wrote its entry, then died before delivering it.
        var held = await tenant.Budget("b").Hold(new HoldRequest(reservationId, Cost(40m), 0, TestClock.Now.AddHours(1)), long.MaxValue);
        await WriteHoldEntry(tenant, reservationId, Cost(40m), ["b"], [held!.Epoch]);

        // A new activation of the reservation reads the hold from the ledger and commits it (confirming it
        // on its budget first); the budget then also catches up with the ledger (here: at its deactivation).
        await tenant.Commit(reservationId, Cost(30m));
        await Deactivate(tenant.Budget("b"));

        Assert.Equal(new MetricStatus(100m, 30m, 0m, 70m, 0.3m), (await tenant.Status("b")).Cost);
        Assert.True((await tenant.Reserve(Cost(55m))).Granted);
    }

    [Fact]
    public async Task A_retried_reservation_delivers_a_hold_its_first_coordinator_wrote_but_never_delivered()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        var attributes = Attributes();
        var reservationId = RequestIdentity.ReservationId("r1");
        await WriteHoldEntry(tenant, reservationId, Cost(40m), ["b"], [0], attributes, TimeSpan.FromMinutes(5));

        var retry = await tenant.Reserve(Cost(40m), attributes, TimeSpan.FromMinutes(5), idempotencyKey: "r1");

        Assert.True(retry.Granted);
        Assert.Equal(40m, (await tenant.Status("b")).Cost.Reserved); // counted now, not at the next catch-up
        Assert.Equal(40m, Assert.Single(retry.Budgets).Cost.Reserved);
    }

    [Fact]
    public async Task After_the_connection_drops_past_the_commit_the_ledger_is_read_back_and_the_hold_is_granted()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        using (Ledger.Inject(tenant.Id, LedgerFault.FailAfterCommit, HoldOf("r1")))
        {
            var answer = await tenant.Reserve(Cost(40m), idempotencyKey: "r1");

            Assert.True(answer.Granted); // what the ledger holds, not "nothing was recorded"
        }

        Assert.Equal(40m, (await tenant.Status("b")).Cost.Reserved);
        await Deactivate(tenant.Budget("b"));
        Assert.Equal(40m, (await tenant.Status("b")).Cost.Reserved); // and the replay agrees
        await tenant.Commit(RequestIdentity.ReservationId("r1"), Cost(25m));
        Assert.Equal(new MetricStatus(100m, 25m, 0m, 75m, 0.25m), (await tenant.Status("b")).Cost);
    }

    [Theory]
    [InlineData(LedgerFault.FailAfterCommit)]
    [InlineData(LedgerFault.FailBeforeCommit)]
    public async Task When_the_ledger_cannot_even_be_asked_the_answer_is_unknown_and_a_retry_settles_it_exactly(LedgerFault fault)
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        using (Ledger.Inject(tenant.Id, fault, HoldOf("r1"), failFinds: true))
        {
            await Assert.ThrowsAsync<OutcomeUnknownException>(() => tenant.Reserve(Cost(40m), idempotencyKey: "r1"));
        }

        var retry = await tenant.Reserve(Cost(40m), idempotencyKey: "r1");

        Assert.True(retry.Granted);
        Assert.Equal(40m, (await tenant.Status("b")).Cost.Reserved);
        Assert.True((await tenant.Reserve(Cost(60m))).Granted); // the first attempt's tentative hold is not counted twice
    }

    [Fact]
    public async Task A_hold_loop_that_fails_part_way_gives_back_what_it_took()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("alice", 100m, Attributes(("user", "alice")));
        await tenant.PutCostBudget("all", 1000m);
        await Deactivate(tenant.Budget("all"));

        using (FaultyGrainStorage.Inject(tenant.Budget("all").GetGrainId(), StorageFault.ReadsFail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => tenant.Reserve(Cost(60m), Attributes(("user", "alice")), idempotencyKey: "r1"));
        }

        // Alice's budget holds nothing of the failed attempt: all of it is there for the next one, at once.
        var next = await tenant.Reserve(Cost(100m), Attributes(("user", "alice")), idempotencyKey: "r2");
        Assert.True(next.Granted);
    }

    [Fact]
    public async Task A_check_decides_on_firm_holds_not_on_a_hold_in_flight()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        using var slow = Ledger.Inject(tenant.Id, LedgerFault.Slow, HoldOf("r1"));
        var first = tenant.Reserve(Cost(60m), idempotencyKey: "r1");
        await slow.FirstHit.Task.WaitAsync(Patience);

        var check = await tenant.Check(Cost(50m));

        Assert.Equal(Decision.Allow, check.Decision);
        Assert.Empty(check.BlockedBy);
        slow.Release();
        Assert.True((await first).Granted);
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(50m))).Decision); // now it is firm
    }

    [Fact]
    public async Task A_refused_reservation_is_remembered_by_the_ledger_and_a_retry_sees_current_budgets()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var refused = await tenant.Reserve(Cost(20m), idempotencyKey: "big");
        Assert.False(refused.Granted);
        await Deactivate(fixture.Client.GetGrain<IReservationBookGrain>(ReservationBooks.KeyOf(tenant.Id, RequestIdentity.ReservationId("big"))));

        var conflict = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Reserve(Cost(5m), idempotencyKey: "big"));
        Assert.Equal(ProblemKind.Conflict, conflict.Kind);
        Assert.False((await tenant.Reserve(Cost(20m), idempotencyKey: "big")).Granted);

        var granted = await tenant.Reserve(Cost(4m), idempotencyKey: "small");
        await tenant.Record(Cost(3m));
        var retried = await tenant.Reserve(Cost(4m), idempotencyKey: "small");
        Assert.Equal(granted.ReservationId, retried.ReservationId);
        Assert.Equal(3m, Assert.Single(retried.Budgets).Cost.Spent);
    }

    [Fact]
    public async Task A_retry_that_writes_its_amount_with_another_scale_is_the_same_request()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);

        var first = await tenant.Reserve(Cost(1.0m), idempotencyKey: "scaled");
        var retry = await tenant.Reserve(Cost(1.00m), idempotencyKey: "scaled");
        var usage = await tenant.Record(Cost(2.5m), idempotencyKey: "u");
        var usageRetry = await tenant.Record(Cost(2.50m), idempotencyKey: "u");

        Assert.Equal(first.ReservationId, retry.ReservationId);
        Assert.True(usageRetry.Duplicate);
        Assert.Equal(usage.Charged, usageRetry.Charged);
        Assert.Equal(new MetricStatus(10m, 2.5m, 1m, 6.5m, 0.35m), (await tenant.Status("b")).Cost);
    }

    /// <summary>Writes a hold entry as a coordinator would, without delivering it to any budget.</summary>
    private async Task WriteHoldEntry(TestTenant tenant, string reservationId, Amount amount, ImmutableArray<string> budgets, ImmutableArray<long> epochs,
        ImmutableSortedDictionary<string, string>? attributes = null, TimeSpan? ttl = null)
    {
        attributes ??= Attributes();
        var expiresAt = TestClock.Now + (ttl ?? TimeSpan.FromHours(1));
        var fingerprint = RequestIdentity.Fingerprint(attributes, new ExplicitAmount(amount), ttl ?? TimeSpan.FromHours(1), 0);
        var outcome = new ReserveResult(true, reservationId, expiresAt, Decision.Allow, null, null, [], amount, []);
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        await Ledger.AppendAsync(new LedgerEntry(tenant.Id, LedgerKeys.Hold(reservationId), LedgerEntryKind.Hold, reservationId, budgets, attributes,
            amount, expiresAt, fingerprint, TestClock.Now, serializer.SerializeToArray(outcome), Epochs: epochs));
    }
}
