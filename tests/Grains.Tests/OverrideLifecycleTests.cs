using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Tests.Infrastructure;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Overrides on the business clock: an approval raises the limits at the very next check; at expiry
/// they come back by themselves — with no traffic in between — and the reminder files the override
/// as expired and takes its raise out of the definition; a requester cannot decide its own request.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OverrideLifecycleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_approved_override_counts_until_its_expiry_and_then_the_limits_come_back_by_themselves()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("team", 10m);
        await tenant.Record(TestTenant.Cost(9m));
        Assert.Equal(Decision.Block, (await tenant.Check(TestTenant.Cost(5m))).Decision);

        AuditActor.Set("key-requester");
        var requested = await tenant.Grain.RequestOverride("team", TestTenant.Cost(10m), "launch day", 60);
        await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.DecideOverride("team", requested.Id, approve: true)); // its own
        Assert.Equal(Decision.Block, (await tenant.Check(TestTenant.Cost(5m))).Decision); // pending changes nothing

        AuditActor.Set("key-approver");
        var approved = await tenant.Grain.DecideOverride("team", requested.Id, approve: true);
        Assert.Equal((OverrideState.Approved, "key-approver", TestClock.Now.AddMinutes(60)), (approved.State, approved.DecidedBy!, approved.ExpiresAt!.Value));
        Assert.Equal(Decision.Allow, (await tenant.Check(TestTenant.Cost(5m))).Decision); // 14 of 20, at once

        TestClock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(20m, (await tenant.Status("team")).Cost.Limit);

        // Expired: nothing has called the budget meanwhile, and the next check already sees 10 again.
        TestClock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Decision.Block, (await tenant.Check(TestTenant.Cost(5m))).Decision);
        Assert.Equal(10m, (await tenant.Status("team")).Cost.Limit);
        Assert.Equal(OverrideState.Expired, (await tenant.Grain.ListOverrides("team", null)).Single().State);

        // The reminder files it: the raise leaves the definition and the trail says so.
        RequestContext.Clear(); // as a reminder tick comes: nobody acting
        await tenant.Grain.AsReference<IRemindable>().ReceiveReminder(TenantGrain.OverrideExpiryReminder, default);
        var definition = (await tenant.Grain.ListBudgets()).Single();
        Assert.Empty(definition.Raises);
        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "team"));
        Assert.Equal([AuditEventTypes.BudgetCreated, AuditEventTypes.OverrideRequested, AuditEventTypes.OverrideApproved, AuditEventTypes.OverrideExpired],
            trail.Items.Select(e => e.Type).Where(t => t.StartsWith("override.", StringComparison.Ordinal) || t == AuditEventTypes.BudgetCreated));
        Assert.Equal(["key-requester", "key-approver", "system"],
            trail.Items.Where(e => e.Type.StartsWith("override.", StringComparison.Ordinal)).Select(e => e.Actor));
    }

    [Fact]
    public async Task A_rejected_override_changes_nothing_and_cannot_be_decided_again()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("team", 10m);
        AuditActor.Set("key-a");
        var requested = await tenant.Grain.RequestOverride("team", TestTenant.Cost(10m), "maybe", 60);
        AuditActor.Set("key-b");
        var rejected = await tenant.Grain.DecideOverride("team", requested.Id, approve: false);

        Assert.Equal(OverrideState.Rejected, rejected.State);
        var again = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.DecideOverride("team", requested.Id, approve: true));
        Assert.Equal(ProblemKind.Conflict, again.Kind);
        Assert.Equal(10m, (await tenant.Status("team")).Cost.Limit);
    }
}
