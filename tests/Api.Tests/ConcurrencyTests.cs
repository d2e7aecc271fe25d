using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Simultaneous HTTP requests: a hard budget is never overspent, and an idempotency key counts once.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ConcurrencyTests(ApiHostFixture host)
{
    private const int Requests = 24;

    [Fact]
    public async Task Simultaneous_reservations_never_hold_more_than_the_limit()
    {
        var tenant = await host.NewTenantAsync("race");
        await tenant.CreateCostBudgetAsync("all", 10m);
        await tenant.CreateCostBudgetAsync("alice", 100m, """{ "user": "alice" }""");

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => host.Api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey,
            $$"""{ "idempotencyKey": "race-{{i}}", "attributes": { "user": "alice" }, "estimate": { "cost": 1 } }""")));

        var granted = answers.Count(a => a.Expect(HttpStatusCode.OK).Bool("granted"));
        Assert.Equal(10, granted);
        Assert.Equal(10m, (await tenant.UseOfAsync("all")).CostReserved);
        Assert.Equal(10m, (await tenant.UseOfAsync("alice")).CostReserved); // refusals left nothing behind on the narrower budget
    }

    [Fact]
    public async Task Simultaneous_usage_with_one_key_is_counted_once()
    {
        var tenant = await host.NewTenantAsync("race");
        await tenant.CreateCostBudgetAsync("all", 100m);

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => host.Api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            """{ "idempotencyKey": "once", "actual": { "cost": 2.5 } }""")));

        Assert.Equal(1, answers.Count(a => !a.Expect(HttpStatusCode.OK).Bool("duplicate")));
        Assert.Equal(new BudgetUse(2.5m, 0, 0, 0, 1, 0), await tenant.UseOfAsync("all"));
    }
}
