using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>A reservation whose worker never comes back frees its hold when its TTL runs out.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReservationExpiryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Expired_hold_no_longer_counts_for_the_next_check_and_reservation()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);

        var held = await tenant.Reserve(Cost(8m), ttl: TimeSpan.FromSeconds(30));
        Assert.True(held.Granted);
        Assert.Equal(TestClock.Now + TimeSpan.FromSeconds(30), held.ExpiresAt);
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(5m))).Decision);

        TestClock.Advance(TimeSpan.FromSeconds(29));
        Assert.False((await tenant.Reserve(Cost(5m))).Granted); // not yet expired

        TestClock.Advance(TimeSpan.FromSeconds(2));
        var check = await tenant.Check(Cost(5m));
        Assert.Equal(Decision.Allow, check.Decision);
        Assert.Equal(0m, Assert.Single(check.Budgets).Cost.Reserved);

        var next = await tenant.Reserve(Cost(10m));
        Assert.True(next.Granted);
        Assert.Equal(10m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Only_the_expired_holds_are_dropped()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);

        Assert.True((await tenant.Reserve(Cost(10m), ttl: TimeSpan.FromSeconds(10))).Granted);
        Assert.True((await tenant.Reserve(Cost(20m), ttl: TimeSpan.FromSeconds(60))).Granted);
        Assert.True((await tenant.Reserve(Cost(40m), ttl: TimeSpan.FromSeconds(120))).Granted);

        TestClock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(40m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Committing_an_expired_reservation_still_records_the_spend()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(8m), ttl: TimeSpan.FromSeconds(5));
        Assert.True(held.Granted);

        TestClock.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await tenant.Reserve(Cost(9m))).Granted); // the expired hold left room for another

        var commit = await tenant.Commit(held.ReservationId!, Cost(7m));
        Assert.Equal(Cost(7m), commit.Charged);
        Assert.Equal(Amount.Zero, commit.Released); // the hold had already freed itself
        var status = Assert.Single(commit.Budgets);
        Assert.Equal(7m, status.Cost.Spent);
        Assert.Equal(9m, status.Cost.Reserved); // spend that happened is recorded even past the limit
        Assert.Equal(BudgetState.Blocked, status.State);
    }

    [Fact]
    public async Task Releasing_an_expired_reservation_frees_nothing_more()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(8m), ttl: TimeSpan.FromSeconds(5));
        TestClock.Advance(TimeSpan.FromSeconds(6));
        Assert.True((await tenant.Reserve(Cost(3m))).Granted);

        var release = await tenant.Release(held.ReservationId!);
        Assert.Equal(Amount.Zero, release.Released);
        Assert.Equal(3m, Assert.Single(release.Budgets).Cost.Reserved);
    }
}
