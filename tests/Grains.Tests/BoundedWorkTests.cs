using System.Diagnostics;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Work and memory stay bounded whatever callers do: made-up tenants cost no grains, a tenant change
/// that waits for leases does not stall the reads everyone needs, totals do not wrap.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BoundedWorkTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Ten_thousand_requests_for_tenants_that_do_not_exist_leave_no_tenant_grains_behind()
    {
        var before = await TenantActivations();
        var unknown = Enumerable.Range(0, 100).Select(i => $"no-such-tenant-{Guid.NewGuid():N}-{i}").ToList();

        for (var round = 0; round < 100; round++)
        {
            await Task.WhenAll(unknown.Select(async id =>
                Assert.Equal(ProblemKind.TenantNotFound,
                    (await Assert.ThrowsAsync<BudgetActorsException>(() => fixture.Admission.Check(id, new CheckRequest(Attributes(), new ExplicitAmount(Cost(1m)))))).Kind)));
        }

        await Poll.UntilAsync(TenantActivations, count => count <= before, "the unknown tenants' grains to go away");
    }

    [Fact]
    public async Task While_a_change_waits_out_a_lease_the_directory_is_still_served_and_the_change_then_answers()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("first", 10m);

        // A holder that never answers: the change must wait its lease out (about 20 s).
        var deaf = fixture.Client.CreateObjectReference<ITenantDirectoryObserver>(new DeafObserver());
        await tenant.Grain.GetDirectory(deaf);
        var change = tenant.PutCostBudget("second", 20m);
        await Task.Delay(500);

        var read = Stopwatch.StartNew();
        var directory = await tenant.Grain.GetDirectory(null);
        read.Stop();

        Assert.False(change.IsCompleted);
        Assert.True(read.Elapsed < TimeSpan.FromSeconds(5), $"the directory took {read.Elapsed} while the change waited");
        Assert.Contains(directory!.Budgets, b => b.Id == "second"); // stored: it is the directory now
        Assert.Equal("second", (await change.WaitAsync(TimeSpan.FromSeconds(60))).Id); // answered as done, not failed
    }

    [Fact]
    public async Task Token_and_operation_totals_pass_64_bits_exactly_and_a_hard_budget_still_blocks()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutBudget("tokens", new Limits(null, 1_000_000_000_000_000L, null));
        var usage = new Amount(0m, 1_000_000_000_000_000L, 1_000_000_000_000_000L);

        // 9,224 usages of 10^15 tokens: past long.MaxValue (about 9.22 × 10^18).
        for (var batch = 0; batch < 9_224; batch += 256)
        {
            await Task.WhenAll(Enumerable.Range(batch, Math.Min(256, 9_224 - batch)).Select(i => tenant.Record(usage, idempotencyKey: $"u-{i}")));
        }

        var status = await tenant.Status("tokens");
        Assert.Equal(9_224_000_000_000_000_000m, status.Tokens.Spent);
        Assert.Equal(9_224_000_000_000_000_000m, status.Operations.Spent);
        Assert.Equal(BudgetState.Blocked, status.State);
        Assert.Equal(Decision.Block, (await tenant.Check(new Amount(0m, 1, 1))).Decision);
    }

    private async Task<int> TenantActivations()
    {
        var statistics = await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(nameof(TenantGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private sealed class DeafObserver : ITenantDirectoryObserver
    {
        public Task Invalidate(string tenantId) => Task.Delay(Timeout.Infinite);
    }
}
