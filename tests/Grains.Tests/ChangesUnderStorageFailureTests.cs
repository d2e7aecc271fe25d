using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.Activations;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// A refused change changes nothing, and a change that was stored is never answered as failed. The
/// tenant's directory is the truth: it is written first; budgets apply a change once it is stored,
/// and learn it from the directory if telling them failed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChangesUnderStorageFailureTests(ClusterFixture fixture)
{
    private static readonly ImmutableSortedDictionary<string, string> WholeTenant =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    [Fact]
    public async Task A_definition_the_tenant_could_not_store_is_not_enforced_and_spend_is_not_reset()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("b", new Limits(100m, null, null), period: new PeriodSpec(PeriodType.Monthly, "UTC"));
        await tenant.Record(Cost(30m));

        using (FaultyGrainStorage.Inject(tenant.Grain.GetGrainId(), StorageFault.WritesFail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => tenant.PutBudget("b", new Limits(10m, null, null), period: new PeriodSpec(PeriodType.Daily, "UTC")));
        }

        var status = await tenant.Status("b");
        Assert.Equal(new MetricStatus(100m, 30m, 0m, 70m, 0.3m), status.Cost);
        Assert.Empty(await tenant.Budget("b").GetHistory());
        Assert.True((await tenant.Reserve(Cost(50m))).Granted);
        Assert.Equal(100m, Assert.Single(await tenant.Grain.ListBudgets()).Limits.Cost);
    }

    [Fact]
    public async Task A_definition_the_tenant_stored_is_answered_and_enforced_even_if_the_budget_cannot_write_its_snapshot()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(30m));

        using (FaultyGrainStorage.Inject(tenant.Budget("b").GetGrainId(), StorageFault.WritesFail))
        {
            var replaced = await tenant.PutBudget("b", new Limits(40m, null, null));
            Assert.False((await tenant.Reserve(Cost(20m))).Granted); // 30 + 20 > 40: the new limit applies
            Assert.Equal(40m, replaced.Limits.Cost);
        }

        Assert.Equal(40m, (await tenant.Status("b")).Cost.Limit);
    }

    [Fact]
    public async Task A_budget_that_missed_its_new_definition_takes_it_from_the_directory_on_its_next_call()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await Deactivate(tenant.Budget("b"));

        // The push to the budget fails (its storage cannot be read, so it cannot activate); the tenant stored the change.
        using (FaultyGrainStorage.Inject(tenant.Budget("b").GetGrainId(), StorageFault.ReadsFail))
        {
            await tenant.PutBudget("b", new Limits(10m, null, null));
        }

        var check = await tenant.Check(Cost(20m));
        Assert.Equal(Decision.Block, check.Decision);
        Assert.Equal(10m, Assert.Single(check.Budgets).Cost.Limit);
    }

    [Fact]
    public async Task A_delete_the_tenant_stored_takes_effect_even_if_the_budget_cannot_retire_at_once()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        await tenant.Record(Cost(30m));
        await Deactivate(tenant.Budget("b"));

        using (FaultyGrainStorage.Inject(tenant.Budget("b").GetGrainId(), StorageFault.ReadsFail))
        {
            Assert.True(await tenant.Grain.DeleteBudget("b"));
        }

        Assert.Empty((await tenant.Check(Cost(1m))).Budgets); // it no longer applies
        // A call naming a newer directory than the budget knows (its reminder names the newest) makes it look: it retires.
        Assert.Null(await tenant.Budget("b").Check(Cost(1m), 0, long.MaxValue));
        Assert.Null(await tenant.Budget("b").GetStatus());
        Assert.Equal(30m, Assert.Single(await tenant.Budget("b").GetHistory()).Spent.Cost);
    }

    [Fact]
    public async Task A_key_the_tenant_could_not_store_does_not_work_and_a_revocation_it_could_not_store_leaves_the_key_working()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var kept = await tenant.Grain.IssueKey(ApiKeyRole.Service, "kept");

        using (FaultyGrainStorage.Inject(tenant.Grain.GetGrainId(), StorageFault.WritesFail))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => tenant.Grain.IssueKey(ApiKeyRole.Service, "lost"));
            await Assert.ThrowsAnyAsync<Exception>(() => tenant.Grain.RevokeKey(kept.Id));
        }

        var directory = await tenant.Grain.GetDirectory(null);
        Assert.Equal(["kept"], directory!.Keys.Select(k => k.Name));
    }

    [Fact]
    public async Task A_budget_whose_snapshot_write_finds_another_activation_stops_admitting_here()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("b", 100m);
        var budget = tenant.Budget("b");
        var readsBefore = FaultyGrainStorage.Reads(budget.GetGrainId());

        using (FaultyGrainStorage.Inject(budget.GetGrainId(), StorageFault.WritesConflict))
        {
            await tenant.Record(Cost(1m)); // a change: a snapshot is written a few seconds later, and fails
            await Poll.UntilAsync(async () => { await budget.GetStatus(); return FaultyGrainStorage.Reads(budget.GetGrainId()); },
                reads => reads > readsBefore, "the budget to be activated again after it stepped down");
        }

        Assert.Equal(1m, (await tenant.Status("b")).Cost.Spent); // the new activation rebuilt it from the ledger
    }
}
