using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Each silo caches tenant directories for the check path. A change answered by the tenant grain is
/// visible at once on every silo: the caches were told before the change was acknowledged.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DirectoryFreshnessTests(ClusterFixture fixture)
{
    // The client spreads calls over both silos' gateways; enough calls reach each of them.
    private const int ChecksThroughTheClient = 20;

    [Fact]
    public async Task Budget_put_after_every_silo_cached_the_directory_applies_at_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("old", 1_000m);
        await WarmEveryCache(tenant);
        Assert.Equal(2, fixture.OnEachSilo<TenantDirectoryCache>().Count);

        await tenant.PutCostBudget("new", 5m);

        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            Assert.NotNull((await cache.GetAsync(tenant.Id))!.FindBudget("new"));
        }

        for (var i = 0; i < ChecksThroughTheClient; i++)
        {
            var check = await tenant.Check(Cost(6m));
            Assert.Equal(Decision.Block, check.Decision);
            Assert.Equal<string>(["new"], check.BlockedBy);
        }

        Assert.False((await tenant.Reserve(Cost(6m))).Granted);
    }

    [Fact]
    public async Task Budget_replaced_with_a_lower_limit_applies_the_new_limit_at_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 1_000m);
        await WarmEveryCache(tenant);

        await tenant.PutCostBudget("b", 10m);

        for (var i = 0; i < ChecksThroughTheClient; i++)
        {
            Assert.Equal(Decision.Block, (await tenant.Check(Cost(11m))).Decision);
        }
    }

    [Fact]
    public async Task Deleted_budget_stops_applying_at_once_and_keeps_its_history()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("tenant", 1_000m);
        await tenant.PutCostBudget("strict", 5m);
        await tenant.Record(Cost(4m));
        await WarmEveryCache(tenant);

        Assert.True(await tenant.Grain.DeleteBudget("strict"));

        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            Assert.Null((await cache.GetAsync(tenant.Id))!.FindBudget("strict"));
        }

        for (var i = 0; i < ChecksThroughTheClient; i++)
        {
            var check = await tenant.Check(Cost(50m));
            Assert.Equal(Decision.Allow, check.Decision);
            Assert.Equal<string>(["tenant"], check.Budgets.Select(b => b.BudgetId));
        }

        Assert.True((await tenant.Reserve(Cost(50m))).Granted);
        Assert.Null(await tenant.Budget("strict").GetStatus());
        var kept = Assert.Single(await tenant.Budget("strict").GetHistory());
        Assert.Equal(Spent(4m), kept.Spent);
        Assert.Equal<string>(["tenant"], (await tenant.Grain.ListBudgets()).Select(b => b.Id));
        Assert.False(await tenant.Grain.DeleteBudget("strict"));
    }

    [Fact]
    public async Task Revoked_key_disappears_from_every_directory_at_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var kept = await tenant.Grain.IssueKey(ApiKeyRole.Service, "worker");
        var revoked = await tenant.Grain.IssueKey(ApiKeyRole.TenantAdmin, "admin");
        await WarmEveryCache(tenant);
        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            Assert.NotNull((await cache.GetAsync(tenant.Id))!.FindKey(revoked.Id));
        }

        Assert.True(await tenant.Grain.RevokeKey(revoked.Id));

        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            var view = (await cache.GetAsync(tenant.Id))!;
            Assert.Null(view.FindKey(revoked.Id));
            Assert.NotNull(view.FindKey(kept.Id));
        }

        var directory = await tenant.Grain.GetDirectory(null);
        Assert.NotNull(directory);
        Assert.Equal<string>([kept.Id], directory.Keys.Select(k => k.Id));
        Assert.False(await tenant.Grain.RevokeKey(revoked.Id));
    }

    [Fact]
    public async Task New_key_is_known_to_every_directory_at_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await WarmEveryCache(tenant);

        var issued = await tenant.Grain.IssueKey(ApiKeyRole.Service, "new-worker");

        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            var record = (await cache.GetAsync(tenant.Id))!.FindKey(issued.Id);
            Assert.NotNull(record);
            Assert.Equal(ApiKeyRole.Service, record.Role);
            Assert.NotEqual(issued.Key, record.SecretHash); // only the hash is kept
        }
    }

    /// <summary>Makes every silo's cache hold the tenant's directory (and a lease on it), as traffic would.</summary>
    private async Task WarmEveryCache(TestTenant tenant)
    {
        foreach (var cache in fixture.OnEachSilo<TenantDirectoryCache>())
        {
            Assert.NotNull(await cache.GetAsync(tenant.Id));
        }

        for (var i = 0; i < ChecksThroughTheClient; i++)
        {
            await tenant.Check(Amount.Zero);
        }
    }
}
