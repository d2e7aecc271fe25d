using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// Issue 10's policies through the grain interfaces, as a job worker with an Orleans client meets
/// them: exact under concurrency (rate limits, the emergency ceiling), on the business clock (grace,
/// late usage), and every refusal with its reasons.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PolicyAdmissionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Rate_limits_admit_exactly_the_limit_under_32_concurrent_callers()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Put(tenant, Definition("rpm", new Limits(1_000_000m, null, null), ("queue", "checks")) with { RateLimits = new RateLimits(50, null) });
        await Put(tenant, Definition("tpm", new Limits(null, 100_000_000, null), ("queue", "tokens")) with { RateLimits = new RateLimits(null, 1_000) });

        // The business clock stands still: exactly one minute's worth fits, whatever the interleaving.
        var checks = await Concurrently(32, 10, () => tenant.Check(Cost(0.01m), Attributes(("queue", "checks"))));
        var reservations = await Concurrently(32, 2, () => tenant.Reserve(new Amount(0m, 30, 1), Attributes(("queue", "tokens"))));

        Assert.Equal(50, checks.Count(c => c.Decision != Decision.Block));
        Assert.All(checks.Where(c => c.Decision == Decision.Block), c =>
        {
            var reason = Assert.Single(c.Reasons);
            Assert.Equal(("rpm", "requestsPerMinute", 50m), (reason.Budget, reason.Metric, reason.Limit));
            Assert.InRange(reason.RetryAfter!.Value, TestClock.Now.AddMilliseconds(1200), TestClock.Now.AddMilliseconds(1201)); // the next 1.2 s slot, to the millisecond
            Assert.Equal<string>(["rpm"], c.BlockedBy);
        });
        var granted = reservations.Where(r => r.Granted).ToList();
        Assert.Equal(33, granted.Count); // 33 × 30 = 990 of 1,000 tokens a minute
        Assert.All(reservations.Where(r => !r.Granted), r => Assert.Equal("tokensPerMinute", r.Reasons.Single(x => x.Budget == "tpm").Metric));
        Assert.Equal(990m, (await tenant.Status("tpm")).Tokens.Reserved);

        TestClock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Decision.Allow, (await tenant.Check(Cost(0.01m), Attributes(("queue", "checks")))).Decision);
    }

    [Fact]
    public async Task A_thousand_concurrent_high_priority_reservations_never_pass_the_emergency_ceiling()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Put(tenant, Definition("launch", new Limits(10m, null, null)) with { Enforcement = new EnforcementPolicy(BypassPriority: 900, EmergencyCeiling: 1.1m) });
        await tenant.Record(Cost(10m));

        var attempts = await Concurrently(1_000, 1, () => tenant.Reserve(Cost(0.01m), priority: 950));
        var lowPriority = await tenant.Reserve(Cost(0.01m), priority: 899);

        Assert.Equal(100, attempts.Count(a => a.Granted)); // 10.00 spent + 100 × 0.01 = 11.00, the ceiling
        var status = await tenant.Status("launch");
        Assert.Equal((10m, 1.00m), (status.Cost.Spent, status.Cost.Reserved));
        Assert.All(attempts.Where(a => a.Granted), a => Assert.Contains("admitted for its priority", Assert.Single(a.Reasons).Message));
        Assert.False(lowPriority.Granted);
        Assert.Equal(("launch", "cost", 10m), (lowPriority.Reasons[0].Budget, lowPriority.Reasons[0].Metric, lowPriority.Reasons[0].Limit));
    }

    [Fact]
    public async Task Grace_opens_once_a_period_at_the_first_request_past_the_block_threshold_and_closes_on_time()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Put(tenant, Definition("team", new Limits(10m, null, null)) with { Enforcement = new EnforcementPolicy(GracePeriodMinutes: 15) });
        await tenant.Record(Cost(10m));
        var opened = TestClock.Now;

        var first = await tenant.Reserve(Cost(2m), ttl: TimeSpan.FromHours(1));
        TestClock.Advance(TimeSpan.FromMinutes(14));
        var inGrace = await tenant.Check(Cost(2m));
        TestClock.Advance(TimeSpan.FromMinutes(1));
        var after = await tenant.Check(Cost(2m));
        var reserveAfter = await tenant.Reserve(Cost(2m));

        Assert.True(first.Granted);
        Assert.Equal(Decision.Warn, first.Decision);
        Assert.Contains($"grace period until {opened.AddMinutes(15):yyyy-MM-dd HH:mm} UTC", first.Reasons.Single().Message);
        Assert.Equal(Decision.Warn, inGrace.Decision);
        Assert.Equal(Decision.Block, after.Decision);
        Assert.False(reserveAfter.Granted);
        var status = await tenant.Status("team");
        Assert.Equal((10m, 2m), (status.Cost.Spent, status.Cost.Reserved));
    }

    [Fact]
    public async Task Per_request_caps_refuse_on_the_grain_path_with_their_metric_and_hold_nothing()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Put(tenant, Definition("query", new Limits(100m, null, null)) with { PerRequest = new Limits(2m, null, null) });

        var atCap = await tenant.Reserve(Cost(2m));
        var overCap = await tenant.Reserve(Cost(2.01m));
        var checkOver = await tenant.Check(Cost(2.01m));

        Assert.True(atCap.Granted);
        Assert.False(overCap.Granted);
        Assert.Equal(("perRequest.cost", 2m, (DateTimeOffset?)null), (overCap.Reasons[0].Metric, overCap.Reasons[0].Limit, overCap.Reasons[0].RetryAfter));
        Assert.Equal((Decision.Block, "perRequest.cost"), (checkOver.Decision, checkOver.Reasons.Single().Metric));
        Assert.Equal(2m, (await tenant.Status("query")).Cost.Reserved);
    }

    [Fact]
    public async Task A_block_lists_every_budget_that_did_not_allow_most_restrictive_first()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("team", 100m);
        await tenant.PutCostBudget("alice", 10m, Attributes(("user", "alice")));
        await tenant.Record(Cost(8m), Attributes(("user", "alice")));

        var answer = await tenant.Check(Cost(70m), Attributes(("user", "alice")));

        Assert.Equal(Decision.Block, answer.Decision);
        Assert.Equal([("alice", Decision.Block), ("team", Decision.Warn)], answer.Reasons.Select(r => (r.Budget, r.Decision)));
        Assert.Equal((8m, 70m, 10m), (answer.Reasons[0].Spent, answer.Reasons[0].Requested, answer.Reasons[0].Limit));
        Assert.True((await tenant.Check(Cost(1m))).Reasons.IsDefaultOrEmpty); // an allow (team alone, 9 %) explains nothing
    }

    [Fact]
    public async Task Late_usage_lands_in_its_closed_periods_history_and_not_in_the_current_period()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await Put(tenant, Definition("daily", new Limits(100m, null, null)) with { Period = new PeriodSpec(PeriodType.Daily, "UTC") });
        await tenant.Record(Cost(5m));
        var yesterday = TestClock.Now;
        TestClock.Advance(TimeSpan.FromDays(1));
        await tenant.Record(Cost(1m));

        await Admission.RecordUsage(tenant.Id, new UsageRequest("late-1", Attributes(), new ExplicitAmount(Cost(7m)), yesterday));
        var future = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            Admission.RecordUsage(tenant.Id, new UsageRequest("future-1", Attributes(), new ExplicitAmount(Cost(7m)), TestClock.Now.AddMinutes(5).AddSeconds(1))));
        await Admission.RecordUsage(tenant.Id, new UsageRequest("skewed-1", Attributes(), new ExplicitAmount(Cost(0.5m)), TestClock.Now.AddMinutes(5)));

        Assert.Equal(ProblemKind.InvalidRequest, future.Kind);
        Assert.Equal(1.5m, (await tenant.Status("daily")).Cost.Spent);
        var closed = Assert.Single(await tenant.Budget("daily").GetHistory(), p => p.Contains(yesterday));
        Assert.Equal(12m, closed.Spent.Cost);
        var late = await Poll.UntilAsync(
            async () => (await ClusterFixture.AuditLog.Query(new AuditQuery(tenant.Id, BudgetId: "daily"))).Items.Where(e => e.Type == AuditEventTypes.UsageLate).ToList(),
            events => events.Count == 1, "the usage.late event");
        Assert.Contains(closed.PeriodStart.ToString("yyyy-MM-dd"), Assert.Single(late).Data);
    }

    private IAdmissionGrain Admission => fixture.Admission;

    private static BudgetDefinition Definition(string id, Limits limits, params (string Name, string Value)[] scope) =>
        new(id, Attributes(scope), new PeriodSpec(PeriodType.Total, "UTC"), limits, Thresholds.Default, EnforcementMode.Hard, null);

    private static Task<PutBudgetResult> Put(TestTenant tenant, BudgetDefinition definition) => tenant.Grain.PutBudget(definition);

    /// <summary><paramref name="callers"/> tasks released together, each sending <paramref name="each"/> requests one after another.</summary>
    private static async Task<IReadOnlyList<T>> Concurrently<T>(int callers, int each, Func<Task<T>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var answers = new List<T>();
            for (var i = 0; i < each; i++)
            {
                answers.Add(await send());
            }

            return answers;
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(tasks)).SelectMany(a => a).ToList();
    }
}
