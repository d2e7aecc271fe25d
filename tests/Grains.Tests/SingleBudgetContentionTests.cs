using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>No overspend when many workers reserve against one small hard budget at the same time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SingleBudgetContentionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Thousand_concurrent_reservations_grant_exactly_what_fits()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("small", 100m);
        var attributes = Attributes(("queue", "batch"));

        var attempts = await ReservationBurst.RunAsync(tenant, Enumerable.Repeat((attributes, Cost(1m)), 1_000));

        var granted = attempts.Where(a => a.Result.Granted).ToList();
        Assert.Equal(100, granted.Count);
        Assert.Equal(100m, granted.Sum(a => a.Estimate.Cost));
        Assert.Equal(100, granted.Select(a => a.Result.ReservationId).Distinct().Count());
        Assert.All(attempts.Where(a => !a.Result.Granted), a => Assert.Equal<string>(["small"], a.Result.BlockedBy));

        var status = await tenant.Status("small");
        Assert.Equal(100m, status.Cost.Reserved);
        Assert.Equal(0m, status.Cost.Spent);
    }

    [Fact]
    public async Task Uneven_concurrent_reservations_never_pass_the_limit()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("small", 100m);
        await tenant.Record(Cost(3.5m));

        // Amounts from 0.25 to 7: which ones win depends on the order, but never more than fits.
        var requests = Enumerable.Range(0, 400).Select(i => (Attributes(), Cost(0.25m * (1 + i % 28)))).ToList();
        var attempts = await ReservationBurst.RunAsync(tenant, requests);

        var grantedSum = attempts.Where(a => a.Result.Granted).Sum(a => a.Estimate.Cost);
        Assert.InRange(grantedSum, 0m, 96.5m);
        var smallestRefused = attempts.Where(a => !a.Result.Granted).Min(a => a.Estimate.Cost);
        Assert.True(3.5m + grantedSum + smallestRefused > 100m,
            $"a refusal of {smallestRefused} with {grantedSum} held and 3.5 spent was a phantom: it could have fitted at the end");

        var status = await tenant.Status("small");
        Assert.Equal(grantedSum, status.Cost.Reserved);
        Assert.True(status.Cost.Spent + status.Cost.Reserved <= 100m);
    }
}
