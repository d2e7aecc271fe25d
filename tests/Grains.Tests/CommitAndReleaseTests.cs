using BudgetActors.Domain;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>The actual amount replaces the hold, whatever it is; a reservation ends once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CommitAndReleaseTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Commit_over_the_estimate_is_charged_in_full_even_past_the_limit()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(new Amount(5m, 100, 1));

        var commit = await tenant.Commit(held.ReservationId!, new Amount(12.5m, 900, 1));

        Assert.Equal(new Amount(12.5m, 900, 1), commit.Charged);
        Assert.Equal(new Amount(5m, 100, 1), commit.Released);
        var status = await tenant.Status("b");
        Assert.Equal(new MetricStatus(10m, 12.5m, 0m, 0m, 1.25m), status.Cost);
        Assert.Equal(900m, status.Tokens.Spent);
        Assert.Equal(BudgetState.Blocked, status.State);
        Assert.False((await tenant.Reserve(Cost(0.01m))).Granted);
    }

    [Fact]
    public async Task Commit_under_the_estimate_frees_the_rest_of_the_hold()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(8m));
        Assert.False((await tenant.Reserve(Cost(3m))).Granted);

        var commit = await tenant.Commit(held.ReservationId!, Cost(2m));

        Assert.Equal(Cost(2m), commit.Charged);
        Assert.Equal(new MetricStatus(10m, 2m, 0m, 8m, 0.2m), Assert.Single(commit.Budgets).Cost);
        Assert.True((await tenant.Reserve(Cost(8m))).Granted); // the 6 not spent is available again
    }

    [Fact]
    public async Task Second_commit_returns_the_first_result_and_changes_nothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(4m));

        var first = await tenant.Commit(held.ReservationId!, Cost(3m));
        var second = await tenant.Commit(held.ReservationId!, Cost(9m));

        Assert.Equal(first.Charged, second.Charged);
        Assert.Equal(first.Released, second.Released);
        Assert.Equal<BudgetStatus>(first.Budgets, second.Budgets);
        Assert.Equal(new MetricStatus(10m, 3m, 0m, 7m, 0.3m), (await tenant.Status("b")).Cost);

        // Releasing after the commit frees nothing either.
        var release = await tenant.Release(held.ReservationId!);
        Assert.Equal(Amount.Zero, release.Released);
        Assert.Equal(new MetricStatus(10m, 3m, 0m, 7m, 0.3m), (await tenant.Status("b")).Cost);
    }

    [Fact]
    public async Task Release_frees_the_whole_hold_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var held = await tenant.Reserve(Cost(6m));
        var other = await tenant.Reserve(Cost(3m));

        var release = await tenant.Release(held.ReservationId!);
        Assert.Equal(Cost(6m), release.Released);
        Assert.Equal(new MetricStatus(10m, 0m, 3m, 7m, 0.3m), Assert.Single(release.Budgets).Cost);

        var again = await tenant.Release(held.ReservationId!);
        Assert.Equal(Cost(6m), again.Released); // the first answer again: nothing more is freed
        Assert.Equal(3m, (await tenant.Status("b")).Cost.Reserved);
        Assert.True(other.Granted);
    }

    [Fact]
    public async Task Unknown_reservation_cannot_be_released_or_committed()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);

        var release = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Release("res-does-not-exist"));
        Assert.Equal(ProblemKind.ReservationNotFound, release.Kind);

        var commit = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Commit("res-does-not-exist", Cost(1m)));
        Assert.Equal(ProblemKind.ReservationNotFound, commit.Kind);
        Assert.Equal(0m, (await tenant.Status("b")).Cost.Spent); // a refused request changes nothing
    }

    [Fact]
    public async Task Refused_reservation_cannot_be_committed_under_its_idempotency_key()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var refused = await tenant.Reserve(Cost(11m), idempotencyKey: "too-big");
        Assert.False(refused.Granted);

        // The id the key maps to exists only as a refusal.
        var reservationId = RequestIdentity.ReservationId("too-big");
        var error = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Commit(reservationId, Cost(1m)));
        Assert.Equal(ProblemKind.ReservationNotFound, error.Kind);
        Assert.Equal(0m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task Unknown_tenant_is_refused()
    {
        var error = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            fixture.Admission.Check("t-nobody-" + Guid.NewGuid().ToString("N"),
                new CheckRequest(Attributes(), new ExplicitAmount(Cost(1m)))));
        Assert.Equal(ProblemKind.TenantNotFound, error.Kind);
    }
}
