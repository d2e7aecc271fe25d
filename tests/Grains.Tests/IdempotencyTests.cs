using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>Retries with the same idempotency key count once; the same key with another body is a conflict.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Reservation_retried_with_the_same_key_and_body_is_held_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var attributes = Attributes(("user", "alice"));

        var first = await tenant.Reserve(Cost(4m), attributes, idempotencyKey: "job-42");
        var retry = await tenant.Reserve(Cost(4m), attributes, idempotencyKey: "job-42");

        Assert.True(first.Granted);
        Assert.Equal(first.ReservationId, retry.ReservationId);
        Assert.Equal(first.ExpiresAt, retry.ExpiresAt);
        Assert.Equal(first.Decision, retry.Decision);
        Assert.Equal(4m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_reservation_are_held_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => tenant.Reserve(Cost(3m), idempotencyKey: "burst"))));

        Assert.All(results, r => Assert.True(r.Granted));
        Assert.Single(results.Select(r => r.ReservationId).Distinct());
        Assert.Equal(3m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Reservation_key_reused_with_another_body_is_a_conflict_that_changes_nothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var first = await tenant.Reserve(Cost(4m), idempotencyKey: "job-7");
        Assert.True(first.Granted);

        var otherAmount = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Reserve(Cost(5m), idempotencyKey: "job-7"));
        Assert.Equal(ProblemKind.Conflict, otherAmount.Kind);
        var otherAttributes = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            tenant.Reserve(Cost(4m), Attributes(("user", "bob")), idempotencyKey: "job-7"));
        Assert.Equal(ProblemKind.Conflict, otherAttributes.Kind);
        var otherTtl = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            tenant.Reserve(Cost(4m), ttl: TimeSpan.FromSeconds(10), idempotencyKey: "job-7"));
        Assert.Equal(ProblemKind.Conflict, otherTtl.Kind);

        Assert.Equal(4m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Refused_reservation_retried_with_its_key_is_still_refused_even_if_room_appeared()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        var big = await tenant.Reserve(Cost(8m));
        var refused = await tenant.Reserve(Cost(5m), idempotencyKey: "late");
        Assert.False(refused.Granted);

        await tenant.Release(big.ReservationId!);
        var retry = await tenant.Reserve(Cost(5m), idempotencyKey: "late");

        Assert.False(retry.Granted); // the first answer stands: a retry is not a new request
        Assert.Equal(0m, (await tenant.Status("b")).Cost.Reserved);
    }

    [Fact]
    public async Task Usage_retried_with_the_same_key_is_a_duplicate_charged_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);

        var first = await tenant.Record(Cost(2.5m), idempotencyKey: "usage-1");
        var retry = await tenant.Record(Cost(2.5m), idempotencyKey: "usage-1");

        Assert.False(first.Duplicate);
        Assert.True(retry.Duplicate);
        Assert.Equal(first.Charged, retry.Charged);
        Assert.Equal(2.5m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_usage_are_charged_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => tenant.Record(Cost(1.5m), idempotencyKey: "burst"))));

        Assert.Equal(1, results.Count(r => !r.Duplicate));
        Assert.Equal(19, results.Count(r => r.Duplicate));
        Assert.Equal(1.5m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task Usage_key_reused_with_another_body_is_a_conflict_that_changes_nothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 10m);
        await tenant.Record(Cost(2m), idempotencyKey: "usage-2");

        var error = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Record(Cost(3m), idempotencyKey: "usage-2"));
        Assert.Equal(ProblemKind.Conflict, error.Kind);
        var otherAttributes = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            tenant.Record(Cost(2m), Attributes(("user", "carol")), idempotencyKey: "usage-2"));
        Assert.Equal(ProblemKind.Conflict, otherAttributes.Kind);

        Assert.Equal(2m, (await tenant.Status("b")).Cost.Spent);
    }

    [Fact]
    public async Task Keys_are_per_tenant_and_per_kind()
    {
        var acme = await TestTenant.CreateAsync(fixture);
        var globex = await TestTenant.CreateAsync(fixture);
        await acme.PutCostBudget("b", 10m);
        await globex.PutCostBudget("b", 10m);

        // One key, two tenants: two distinct reservations.
        var a = await acme.Reserve(Cost(1m), idempotencyKey: "shared");
        var g = await globex.Reserve(Cost(2m), idempotencyKey: "shared");
        Assert.True(a.Granted && g.Granted);
        Assert.Equal(1m, (await acme.Status("b")).Cost.Reserved);
        Assert.Equal(2m, (await globex.Status("b")).Cost.Reserved);

        // The same key as a usage is not a retry of the reservation.
        var usage = await acme.Record(Cost(3m), idempotencyKey: "shared");
        Assert.False(usage.Duplicate);
        Assert.Equal(3m, (await acme.Status("b")).Cost.Spent);
    }
}
