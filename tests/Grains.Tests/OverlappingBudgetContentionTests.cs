using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Concurrent reservations on nested budgets (tenant ⊃ user ⊃ user+model): each is held on every
/// applicable budget or on none; no budget goes past its limit; and no request is refused by a
/// budget that in the end had room for it (no phantom refusals from holds that were undone).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OverlappingBudgetContentionTests(ClusterFixture fixture)
{
    private static readonly ImmutableSortedDictionary<string, string> AliceGpt = Attributes(("user", "alice"), ("model", "gpt-4o"));

    [Fact]
    public async Task Narrow_model_budget_binds_and_the_wider_ones_hold_exactly_what_it_granted()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var budgets = new Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)>
        {
            ["tenant"] = (Attributes(), 100m),
            ["alice"] = (Attributes(("user", "alice")), 80m),
            ["alice-gpt"] = (AliceGpt, 50m),
        };
        await Define(tenant, budgets);

        var attempts = await ReservationBurst.RunAsync(tenant, Enumerable.Repeat((AliceGpt, Cost(1m)), 400));

        Assert.Equal(50, attempts.Count(a => a.Result.Granted));
        Assert.All(attempts.Where(a => !a.Result.Granted), a => Assert.Contains("alice-gpt", a.Result.BlockedBy));
        Assert.All(attempts.Where(a => !a.Result.Granted), a => Assert.DoesNotContain("tenant", a.Result.BlockedBy));
        await AssertHoldsMatchGrants(tenant, budgets, attempts);
    }

    [Fact]
    public async Task Tenant_root_binds_while_several_users_compete()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var budgets = new Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)>
        {
            ["tenant"] = (Attributes(), 150m),
            ["alice"] = (Attributes(("user", "alice")), 70m),
            ["bob"] = (Attributes(("user", "bob")), 70m),
            ["carol"] = (Attributes(("user", "carol")), 70m),
            ["alice-gpt"] = (AliceGpt, 40m),
        };
        await Define(tenant, budgets);

        // 210 of user limits compete for 150 of tenant; alice's gpt-4o work is capped lower still.
        var alice = Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? AliceGpt : Attributes(("user", "alice"), ("model", "o3")), Cost(1m))).ToList();
        var bob = Enumerable.Repeat((Attributes(("user", "bob")), Cost(1m)), 200).ToList();
        var carol = Enumerable.Repeat((Attributes(("user", "carol")), Cost(1m)), 200).ToList();
        var attempts = await ReservationBurst.RunAsync(tenant, ReservationBurst.RoundRobin(alice, bob, carol));

        Assert.Equal(150, attempts.Count(a => a.Result.Granted)); // everything the tenant budget has room for
        await AssertHoldsMatchGrants(tenant, budgets, attempts);
    }

    [Fact]
    public async Task Refusal_by_one_budget_undoes_the_holds_on_the_others()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var budgets = new Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)>
        {
            ["tenant"] = (Attributes(), 30m),
            ["alice"] = (Attributes(("user", "alice")), 100m),
            ["alice-gpt"] = (AliceGpt, 100m),
        };
        await Define(tenant, budgets);

        // The narrow budgets say yes to all of them, the tenant budget only to 30.
        var attempts = await ReservationBurst.RunAsync(tenant, Enumerable.Repeat((AliceGpt, Cost(1m)), 300));

        Assert.Equal(30, attempts.Count(a => a.Result.Granted));
        Assert.All(attempts.Where(a => !a.Result.Granted), a => Assert.Equal<string>(["tenant"], a.Result.BlockedBy));
        await AssertHoldsMatchGrants(tenant, budgets, attempts);
    }

    [Fact]
    public async Task Holds_undone_elsewhere_cause_no_phantom_refusals()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var budgets = new Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)>
        {
            ["alice"] = (Attributes(("user", "alice")), 50m),
            ["project-p1"] = (Attributes(("project", "p1")), 10m),
        };
        await Define(tenant, budgets);
        await tenant.Record(Cost(10m), Attributes(("project", "p1"))); // p1 is full from the start

        // Alice's p1 work first holds on her budget (tentatively, "alice" sorts before "project-p1"),
        // then is refused by p1 and undone. Her other work must not be refused because of those
        // passing holds: all of the 50 her budget has room for is granted.
        var p1Work = Enumerable.Repeat((Attributes(("user", "alice"), ("project", "p1")), Cost(1m)), 60).ToList();
        var otherWork = Enumerable.Repeat((Attributes(("user", "alice")), Cost(1m)), 60).ToList();
        var attempts = await ReservationBurst.RunAsync(tenant, ReservationBurst.RoundRobin(p1Work, p1Work, p1Work, p1Work, p1Work, otherWork));

        Assert.Equal(0, attempts.Count(a => a.Result.Granted && a.Attributes.ContainsKey("project")));
        Assert.Equal(50, attempts.Count(a => a.Result.Granted && !a.Attributes.ContainsKey("project")));
        Assert.Equal(0m, (await tenant.Status("project-p1")).Cost.Reserved);
        Assert.Equal(50m, (await tenant.Status("alice")).Cost.Reserved);
    }

    private static async Task Define(TestTenant tenant, Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)> budgets)
    {
        foreach (var (id, (scope, limit)) in budgets)
        {
            await tenant.PutCostBudget(id, limit, scope);
        }
    }

    /// <summary>
    /// Every budget holds exactly the sum of the granted reservations it applies to, within its limit,
    /// and every refused request would really have passed the limit of a budget that applies to it.
    /// </summary>
    private static async Task AssertHoldsMatchGrants(
        TestTenant tenant,
        Dictionary<string, (ImmutableSortedDictionary<string, string> Scope, decimal Limit)> budgets,
        IReadOnlyList<ReservationBurst.Attempt> attempts)
    {
        var held = new Dictionary<string, decimal>();
        foreach (var (id, (scope, limit)) in budgets)
        {
            var expected = attempts.Where(a => a.Result.Granted && Domain.ScopeIndex.Matches(scope, a.Attributes)).Sum(a => a.Estimate.Cost);
            var status = await tenant.Status(id);
            Assert.True(status.Cost.Reserved <= limit, $"{id} holds {status.Cost.Reserved} of {limit}");
            Assert.Equal(expected, status.Cost.Reserved);
            Assert.Equal(0m, status.Cost.Spent);
            held[id] = status.Cost.Reserved;
        }

        foreach (var refused in attempts.Where(a => !a.Result.Granted))
        {
            var full = budgets.Where(b => Domain.ScopeIndex.Matches(b.Value.Scope, refused.Attributes)
                && held[b.Key] + refused.Estimate.Cost > b.Value.Limit).Select(b => b.Key).ToList();
            Assert.True(full.Count > 0, $"phantom refusal of {string.Join(",", refused.Attributes)}: every applicable budget had room at the end");
        }
    }
}
