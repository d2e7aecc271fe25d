using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Reservations: reserve, commit, release, and their idempotency.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ReservationTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task A_granted_reservation_holds_its_estimate_until_it_expires()
    {
        var tenant = await host.NewTenantAsync("reserve");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var before = DateTimeOffset.UtcNow;

        var reservation = await tenant.ReserveAsync("""{ "idempotencyKey": "job-1", "estimate": { "cost": 2.5, "tokens": 300 }, "ttlSeconds": 120 }""");

        Assert.True(reservation.Bool("granted"));
        Assert.StartsWith("res-", reservation.Str("reservationId"), StringComparison.Ordinal);
        var expiresAt = reservation.Time("expiresAt");
        Assert.InRange(expiresAt, before.AddSeconds(119), DateTimeOffset.UtcNow.AddSeconds(121));
        Assert.Equal("allow", reservation.Str("decision"));
        Assert.Empty(reservation.Strings("blockedBy"));
        Assert.Equal(2.5m, reservation.Budget("all").Dec("cost.reserved"));
        Assert.Equal(new BudgetUse(0, 2.5m, 0, 300, 0, 1), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task A_refused_reservation_holds_nothing_and_names_the_budget()
    {
        var tenant = await host.NewTenantAsync("reserve");
        await tenant.CreateCostBudgetAsync("all", 10m);

        var reservation = await tenant.ReserveAsync("""{ "idempotencyKey": "too-big", "estimate": { "cost": 11 } }""");

        Assert.False(reservation.Bool("granted"));
        Assert.True(reservation.IsNull("reservationId"));
        Assert.True(reservation.IsNull("expiresAt"));
        Assert.Equal("block", reservation.Str("decision"));
        Assert.Equal(["all"], reservation.Strings("blockedBy"));
        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task A_reservation_holds_on_every_applicable_budget_or_on_none()
    {
        var tenant = await host.NewTenantAsync("reserve");
        await tenant.CreateCostBudgetAsync("tenant-wide", 10m);
        await tenant.CreateCostBudgetAsync("alice", 100m, """{ "user": "alice" }""");

        var granted = await tenant.ReserveAsync("""{ "attributes": { "user": "alice" }, "estimate": { "cost": 6 } }""");
        Assert.True(granted.Bool("granted"));
        Assert.Equal(6m, (await tenant.UseOfAsync("tenant-wide")).CostReserved);
        Assert.Equal(6m, (await tenant.UseOfAsync("alice")).CostReserved);

        // Alice's own budget has room, the tenant's does not: nothing is held anywhere.
        var refused = await tenant.ReserveAsync("""{ "attributes": { "user": "alice" }, "estimate": { "cost": 5 } }""");
        Assert.False(refused.Bool("granted"));
        Assert.Equal(["tenant-wide"], refused.Strings("blockedBy"));
        Assert.Equal(6m, (await tenant.UseOfAsync("tenant-wide")).CostReserved);
        Assert.Equal(6m, (await tenant.UseOfAsync("alice")).CostReserved);
    }

    [Fact]
    public async Task Commit_charges_the_actual_and_frees_the_hold()
    {
        var tenant = await host.NewTenantAsync("commit");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 5, "tokens": 1000 } }""")).Str("reservationId");

        var commit = await tenant.CommitAsync(id, """{ "actual": { "cost": 3.141592, "tokens": 800 } }""");

        Assert.Equal(3.141592m, commit.Dec("charged.cost"));
        Assert.Equal(800L, commit.Long("charged.tokens"));
        Assert.Equal(1L, commit.Long("charged.operations"));
        Assert.Equal(5m, commit.Dec("released.cost"));
        Assert.Equal(1000L, commit.Long("released.tokens"));
        Assert.Equal(3.141592m, commit.Budget("all").Dec("cost.spent"));
        Assert.Equal(new BudgetUse(3.141592m, 0, 800, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task A_commit_above_the_estimate_and_past_the_limit_is_accepted()
    {
        var tenant = await host.NewTenantAsync("commit");
        await tenant.CreateCostBudgetAsync("all", 10m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 2 } }""")).Str("reservationId");

        var commit = await tenant.CommitAsync(id, """{ "actual": { "cost": 25.5 } }""");

        Assert.Equal(25.5m, commit.Dec("charged.cost"));
        var status = (await tenant.GetBudgetAsync("all")).At("status");
        Assert.Equal(25.5m, status.Dec("cost.spent"));
        Assert.Equal(0m, status.Dec("cost.reserved"));
        Assert.Equal(0m, status.Dec("cost.remaining"));
        Assert.Equal("blocked", status.Str("state"));
    }

    [Fact]
    public async Task A_second_commit_changes_nothing_and_returns_the_first_result()
    {
        var tenant = await host.NewTenantAsync("commit");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 5 } }""")).Str("reservationId");
        var first = await tenant.CommitAsync(id, """{ "actual": { "cost": 4 } }""");

        var again = await tenant.CommitAsync(id, """{ "actual": { "cost": 4 } }""");
        var different = await tenant.CommitAsync(id, """{ "actual": { "cost": 40 } }""");

        foreach (var repeat in new[] { again, different })
        {
            Assert.Equal(first.Dec("charged.cost"), repeat.Dec("charged.cost"));
            Assert.Equal(first.Dec("released.cost"), repeat.Dec("released.cost"));
        }

        Assert.Equal(new BudgetUse(4, 0, 0, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task Release_frees_the_hold()
    {
        var tenant = await host.NewTenantAsync("release");
        await tenant.CreateCostBudgetAsync("all", 10m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 9 } }""")).Str("reservationId");
        Assert.False((await tenant.ReserveAsync("""{ "estimate": { "cost": 2 } }""")).Bool("granted"));

        var release = await tenant.ReleaseAsync(id);

        Assert.Equal(9m, release.Dec("released.cost"));
        Assert.Equal(0m, release.Budget("all").Dec("cost.reserved"));
        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0, 0), await tenant.UseOfAsync("all"));
        Assert.True((await tenant.ReserveAsync("""{ "estimate": { "cost": 2 } }""")).Bool("granted"));
    }

    [Fact]
    public async Task Release_without_a_body_or_content_type_is_accepted()
    {
        var tenant = await host.NewTenantAsync("release");
        await tenant.CreateCostBudgetAsync("all", 10m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 1 } }""")).Str("reservationId");

        (await _api.SendAsync(HttpMethod.Post, tenant.Path($"/reservations/{id}/release"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(0m, (await tenant.UseOfAsync("all")).CostReserved);
    }

    [Fact]
    public async Task Commit_or_release_of_an_unknown_reservation_is_404()
    {
        var tenant = await host.NewTenantAsync("unknown");
        await tenant.CreateCostBudgetAsync("all", 10m);

        (await _api.PostAsync(tenant.Path("/reservations/res-nope/commit"), tenant.ServiceKey, """{ "actual": { "cost": 1 } }"""))
            .ExpectProblem(HttpStatusCode.NotFound);
        (await _api.PostAsync(tenant.Path("/reservations/res-nope/release"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(new BudgetUse(0, 0, 0, 0, 0, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_returns_the_same_reservation_held_once()
    {
        var tenant = await host.NewTenantAsync("idem");
        await tenant.CreateCostBudgetAsync("all", 100m);
        const string body = """{ "idempotencyKey": "job-42", "attributes": { "user": "alice" }, "estimate": { "cost": 7 }, "ttlSeconds": 300 }""";

        var first = await tenant.ReserveAsync(body);
        var retry = await tenant.ReserveAsync(body);

        Assert.True(first.Bool("granted"));
        Assert.True(retry.Bool("granted"));
        Assert.Equal(first.Str("reservationId"), retry.Str("reservationId"));
        Assert.Equal(first.Time("expiresAt"), retry.Time("expiresAt"));
        Assert.Equal(7m, (await tenant.UseOfAsync("all")).CostReserved);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_409_and_changes_nothing()
    {
        var tenant = await host.NewTenantAsync("idem");
        await tenant.CreateCostBudgetAsync("all", 100m);
        await tenant.ReserveAsync("""{ "idempotencyKey": "job-43", "estimate": { "cost": 7 } }""");

        (await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey, """{ "idempotencyKey": "job-43", "estimate": { "cost": 8 } }"""))
            .ExpectProblem(HttpStatusCode.Conflict);
        (await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey,
                """{ "idempotencyKey": "job-43", "attributes": { "user": "bob" }, "estimate": { "cost": 7 } }"""))
            .ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal(7m, (await tenant.UseOfAsync("all")).CostReserved);
    }

    [Fact]
    public async Task Reservations_without_an_idempotency_key_are_each_new()
    {
        var tenant = await host.NewTenantAsync("idem");
        await tenant.CreateCostBudgetAsync("all", 100m);

        var first = await tenant.ReserveAsync("""{ "estimate": { "cost": 1 } }""");
        var second = await tenant.ReserveAsync("""{ "estimate": { "cost": 1 } }""");

        Assert.NotEqual(first.Str("reservationId"), second.Str("reservationId"));
        Assert.Equal(2m, (await tenant.UseOfAsync("all")).CostReserved);
    }

    [Fact]
    public async Task An_expired_reservation_frees_its_hold_by_itself_and_a_late_commit_still_records_the_spend()
    {
        var tenant = await host.NewTenantAsync("expiry");
        await tenant.CreateCostBudgetAsync("all", 10m);
        var id = (await tenant.ReserveAsync("""{ "estimate": { "cost": 8 }, "ttlSeconds": 1 }""")).Str("reservationId");
        Assert.Equal(8m, (await tenant.UseOfAsync("all")).CostReserved);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await tenant.UseOfAsync("all")).CostReserved != 0m)
        {
            Assert.True(DateTime.UtcNow < deadline, "the expired hold was not freed within 15 s");
            await Task.Delay(100);
        }

        var commit = await tenant.CommitAsync(id, """{ "actual": { "cost": 3 } }""");

        Assert.Equal(3m, commit.Dec("charged.cost"));
        Assert.Equal(0m, commit.Dec("released.cost")); // nothing was held any more
        Assert.Equal(new BudgetUse(3, 0, 0, 0, 1, 0), await tenant.UseOfAsync("all"));
    }

    [Fact]
    public async Task A_reservation_of_one_tenant_is_unknown_to_another()
    {
        var a = await host.NewTenantAsync("res-a");
        var b = await host.NewTenantAsync("res-b");
        await a.CreateCostBudgetAsync("all", 10m);
        var id = (await a.ReserveAsync("""{ "estimate": { "cost": 4 } }""")).Str("reservationId");

        (await _api.PostAsync(b.Path($"/reservations/{id}/commit"), b.ServiceKey, """{ "actual": { "cost": 1 } }""")).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.PostAsync(b.Path($"/reservations/{id}/release"), b.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(new BudgetUse(0, 4, 0, 0, 0, 1), await a.UseOfAsync("all"));
    }
}
