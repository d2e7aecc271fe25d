using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Tiers on the grain path, as job workers reach it: a new subject's budgets exist before its first
/// request is decided, exactly once under any concurrency, and follow changes of its tier.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TierInstantiationTests(ClusterFixture fixture)
{
    private static TierDefinition Tier(string id, string subject, params (string Name, decimal Cost, PeriodType Period)[] budgets) =>
        new(id, subject, [.. budgets.Select(b => new BudgetDefinition(b.Name, ImmutableSortedDictionary<string, string>.Empty,
            new PeriodSpec(b.Period, "UTC"), new Limits(b.Cost, null, null), Thresholds.Default, EnforcementMode.Hard, null))], default);

    private static ITenantTierGrain Tiers(TestTenant tenant) => tenant.Grain.Cast<ITenantTierGrain>();

    [Fact]
    public async Task Thousand_concurrent_first_reservations_of_a_new_user_create_one_set_of_budgets_and_grant_exactly_what_fits()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 100m, PeriodType.Daily), ("total", 1000m, PeriodType.Total)));
        await Tiers(tenant).SetDefaultTier("free");
        var carol = Attributes(("user", "carol"));

        var attempts = await ReservationBurst.RunAsync(tenant, Enumerable.Repeat((carol, Cost(1m)), 1_000));

        var granted = attempts.Where(a => a.Result.Granted).ToList();
        Assert.Equal(100, granted.Count);
        Assert.All(granted, a => Assert.Equal(["free.daily.carol", "free.total.carol"], a.Result.Budgets.Select(b => b.BudgetId).Order()));
        Assert.All(attempts.Where(a => !a.Result.Granted), a => Assert.Equal<string>(["free.daily.carol"], a.Result.BlockedBy));
        Assert.Equal(100m, (await tenant.Status("free.daily.carol")).Cost.Reserved);
        Assert.Equal(100m, (await tenant.Status("free.total.carol")).Cost.Reserved);

        var budgets = await tenant.Grain.ListBudgets();
        Assert.Equal(["free.daily.carol", "free.total.carol"], budgets.Select(b => b.Id));
        Assert.All(budgets, b => Assert.Equal(("free", "carol"), (b.Tier!, b.Scope["user"])));
        var instantiated = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, Type: AuditEventTypes.BudgetInstantiated));
        Assert.Equal(["free.daily.carol", "free.total.carol"], instantiated.Items.Select(e => e.BudgetId!).Order());

        var subject = await Tiers(tenant).GetSubject("user", "carol");
        Assert.Equal(("free", false), (subject.Tier, subject.Assigned));
        Assert.Equal<string>(["free.daily.carol", "free.total.carol"], subject.Budgets);
    }

    [Fact]
    public async Task A_first_check_or_usage_is_decided_by_the_new_budgets()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 1m, PeriodType.Daily)));
        await Tiers(tenant).SetDefaultTier("free");

        var check = await tenant.Check(Cost(2m), Attributes(("user", "dave")));
        Assert.Equal(Decision.Block, check.Decision);
        Assert.Equal<string>(["free.daily.dave"], check.BlockedBy);

        var usage = await tenant.Record(Cost(0.4m), Attributes(("user", "erin"), ("model", "gpt-4o")));
        Assert.Equal(0.4m, Assert.Single(usage.Budgets).Cost.Spent);
        Assert.Equal(0.4m, (await tenant.Status("free.daily.erin")).Cost.Spent);

        // A subject of another attribute, and a tenant request without subjects, make nothing.
        await tenant.Check(Cost(0.1m), Attributes(("project", "apollo")));
        await tenant.Check(Cost(0.1m));
        Assert.Equal(["free.daily.dave", "free.daily.erin"], (await tenant.Grain.ListBudgets()).Select(b => b.Id));
    }

    [Fact]
    public async Task A_changed_template_updates_existing_subjects_and_keeps_their_spend()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 1m, PeriodType.Daily), ("weekly", 5m, PeriodType.Weekly)));
        await Tiers(tenant).SetDefaultTier("free");
        await tenant.Record(Cost(0.8m), Attributes(("user", "carol")));

        var result = await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 2m, PeriodType.Daily), ("monthly", 20m, PeriodType.Monthly)));

        Assert.False(result.Created);
        Assert.Equal(1, result.SubjectsChanged);
        var daily = await tenant.Status("free.daily.carol");
        Assert.Equal((2m, 0.8m), (daily.Cost.Limit, daily.Cost.Spent));
        Assert.Equal(20m, (await tenant.Status("free.monthly.carol")).Cost.Limit);
        Assert.Null(await tenant.Budget("free.weekly.carol").GetStatus());
        Assert.Equal(["free.daily.carol", "free.monthly.carol"], (await tenant.Grain.ListBudgets()).Select(b => b.Id));
        Assert.Equal(Decision.Allow, (await tenant.Check(Cost(0.5m), Attributes(("user", "carol")))).Decision); // 1.3 of 2, where it was past 1
    }

    [Fact]
    public async Task Assigning_a_tier_swaps_a_subjects_budgets_and_keeps_the_old_ones_history()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 1m, PeriodType.Daily)));
        await Tiers(tenant).PutTier(Tier("pro", "user", ("daily", 50m, PeriodType.Daily)));
        await Tiers(tenant).SetDefaultTier("free");
        await tenant.Record(Cost(1m), Attributes(("user", "carol")));
        Assert.Equal(Decision.Block, (await tenant.Check(Cost(1m), Attributes(("user", "carol")))).Decision);

        var assigned = await Tiers(tenant).AssignSubject("user", "carol", "pro");

        Assert.True(assigned.Created);
        Assert.Equal(("pro", true), (assigned.Subject.Tier, assigned.Subject.Assigned));
        Assert.Equal<string>(["pro.daily.carol"], assigned.Subject.Budgets);
        Assert.Null(await tenant.Budget("free.daily.carol").GetStatus());
        Assert.Equal(1m, Assert.Single(await tenant.Budget("free.daily.carol").GetHistory()).Spent.Cost);
        var check = await tenant.Check(Cost(1m), Attributes(("user", "carol")));
        Assert.Equal((Decision.Allow, "pro.daily.carol"), (check.Decision, Assert.Single(check.Budgets).BudgetId));

        var page = await Tiers(tenant).ListSubjects("pro", null, 10);
        Assert.Equal(["carol"], page.Items.Select(s => s.Id));
        Assert.Empty((await Tiers(tenant).ListSubjects("free", null, 10)).Items);

        // Back to the default: the pro budget goes, the free one comes back (with its history).
        Assert.True(await Tiers(tenant).UnassignSubject("user", "carol"));
        Assert.Null(await tenant.Budget("pro.daily.carol").GetStatus());
        Assert.Equal(["free.daily.carol"], (await tenant.Grain.ListBudgets()).Select(b => b.Id));
    }

    [Fact]
    public async Task A_new_default_tier_moves_unassigned_subjects_and_tier_budgets_refuse_hand_edits()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Tiers(tenant).PutTier(Tier("free", "user", ("daily", 1m, PeriodType.Daily)));
        await Tiers(tenant).PutTier(Tier("basic", "user", ("daily", 3m, PeriodType.Daily)));
        await Tiers(tenant).PutTier(Tier("pro", "user", ("daily", 50m, PeriodType.Daily)));
        await Tiers(tenant).SetDefaultTier("free");
        await Tiers(tenant).AssignSubject("user", "alice", "pro");
        await tenant.Check(Cost(0.1m), Attributes(("user", "alice")));
        await tenant.Check(Cost(0.1m), Attributes(("user", "bob")));

        var info = await Tiers(tenant).SetDefaultTier("basic");

        Assert.Equal("basic", info.DefaultTier);
        Assert.Equal(["basic.daily.bob", "pro.daily.alice"], (await tenant.Grain.ListBudgets()).Select(b => b.Id));
        var conflict = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.PutCostBudget("basic.daily.bob", 100m));
        Assert.Equal(ProblemKind.Conflict, conflict.Kind);
        Assert.Equal(ProblemKind.Conflict, (await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.DeleteBudget("pro.daily.alice"))).Kind);
        Assert.Equal(ProblemKind.Conflict, (await Assert.ThrowsAsync<BudgetActorsException>(() => Tiers(tenant).DeleteTier("basic"))).Kind);
        Assert.Equal(ProblemKind.Conflict, (await Assert.ThrowsAsync<BudgetActorsException>(() => Tiers(tenant).DeleteTier("pro"))).Kind);
        Assert.True(await Tiers(tenant).DeleteTier("free"));

        var trail = await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, Type: AuditEventTypes.TierUpdated));
        Assert.Equal(5, trail.Items.Length); // three tiers made, alice assigned, free deleted
    }
}
