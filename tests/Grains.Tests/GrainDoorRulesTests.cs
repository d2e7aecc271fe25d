using System.Collections.Immutable;
using BudgetActors.Grains.Tests.Infrastructure;
using static BudgetActors.Grains.Tests.Infrastructure.TestTenant;

namespace BudgetActors.Grains.Tests;

/// <summary>
/// A job worker that calls <see cref="IAdmissionGrain"/> (or the tenant grain) directly meets the same
/// rules as an HTTP client: an invalid request is a typed <see cref="BudgetActorsException"/> naming the
/// field, and changes nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainDoorRulesTests(ClusterFixture fixture)
{
    private IAdmissionGrain Admission => fixture.Admission;

    public static TheoryData<string, string> BadReservations => new()
    {
        { "negative estimate", "estimate.cost" },
        { "ten-year ttl", "ttlSeconds" },
        { "unknown attribute", "attributes.colour" },
        { "priority out of range", "priority" },
        { "idempotency key with a space", "idempotencyKey" },
        { "llm without messages or prompt", "llm" },
        { "llm message without content", "llm.messages[0].content" },
        { "tool that is not JSON", "llm.tools" },
    };

    [Theory]
    [MemberData(nameof(BadReservations))]
    public async Task A_bad_reservation_from_a_job_worker_is_refused_by_field_and_holds_nothing(string name, string field)
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("main", 10m);
        var good = new ReserveRequest("k-1", Attributes(("user", "alice")), new ExplicitAmount(Cost(1m)), TimeSpan.FromMinutes(5));
        var bad = name switch
        {
            "negative estimate" => good with { Estimate = new ExplicitAmount(Cost(-5m)) },
            "ten-year ttl" => good with { Ttl = TimeSpan.FromDays(3650) },
            "unknown attribute" => good with { Attributes = Attributes(("colour", "red")) },
            "priority out of range" => good with { Priority = 5000 },
            "idempotency key with a space" => good with { IdempotencyKey = "a b" },
            "llm without messages or prompt" => good with { Estimate = new LlmEstimate("gpt-4o", [], null, 10, []) },
            "llm message without content" => good with { Estimate = new LlmEstimate("gpt-4o", [new PromptMessage("user", null!)], null, 10, []) },
            "tool that is not JSON" => good with { Estimate = new LlmEstimate("gpt-4o", [], "hi", 10, ["{not json"]) },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var refused = await Assert.ThrowsAsync<BudgetActorsException>(() => Admission.Reserve(tenant.Id, bad));

        Assert.Equal(ProblemKind.InvalidRequest, refused.Kind);
        Assert.Equal("invalid-request", refused.Code);
        Assert.Contains(field, refused.Errors.Keys);
        Assert.Equal(new MetricStatus(10m, 0m, 0m, 10m, 0m), (await tenant.Status("main")).Cost);
        Assert.True((await Admission.Reserve(tenant.Id, good)).Granted); // the key was not used up
    }

    [Fact]
    public async Task Negative_usage_and_negative_commits_are_refused_and_spend_stays()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        await tenant.PutCostBudget("main", 10m);
        var held = await tenant.Reserve(Cost(2m));

        var usage = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            Admission.RecordUsage(tenant.Id, new UsageRequest("u-1", Attributes(), new ExplicitAmount(Cost(-3m)))));
        var commit = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            Admission.Commit(tenant.Id, held.ReservationId!, new CommitRequest(new ExplicitAmount(new Amount(1m, -7, 1)))));
        var job = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            Admission.RecordUsage(tenant.Id, new UsageRequest("u-2", Attributes(), new JobUsage(-1m, 0m, 0, 0, 0))));

        Assert.Contains("actual.cost", usage.Errors.Keys);
        Assert.Contains("actual.tokens", commit.Errors.Keys);
        Assert.Contains("jobUsage.cpuSeconds", job.Errors.Keys);
        Assert.Equal(new MetricStatus(10m, 0m, 2m, 8m, 0.2m), (await tenant.Status("main")).Cost);
    }

    [Fact]
    public async Task Budget_definitions_and_tenant_settings_follow_the_same_rules_on_the_grain_path()
    {
        var tenant = await TestTenant.CreateAsync(fixture);
        var valid = new BudgetDefinition("main", ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
            new PeriodSpec(PeriodType.Daily, "UTC"), new Limits(10m, null, null), Thresholds.Default, EnforcementMode.Hard, null);

        var badBudget = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.PutBudget(valid with
        {
            Limits = new Limits(-1m, null, null),
            Thresholds = new Thresholds(0.9m, 0.5m, 1m),
            Period = new PeriodSpec(PeriodType.Daily, "Europe/Atlantis"),
        }));
        var badKey = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.IssueKey(ApiKeyRole.Admin, "root"));
        var badModel = await Assert.ThrowsAsync<BudgetActorsException>(() => tenant.Grain.SetCostModel(JobCostModel.Seed with
        {
            Environments = JobCostModel.Seed.Environments.SetItem("prod", -2m),
        }));
        var badTenant = await Assert.ThrowsAsync<BudgetActorsException>(() =>
            fixture.Client.GetGrain<ITenantGrain>("t-" + Guid.NewGuid().ToString("N")).Create("x", "dollars", "UTC"));

        Assert.Equal(["limits.cost", "period.timezone", "thresholds"], badBudget.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("role", badKey.Errors.Keys);
        Assert.Contains("environments.prod", badModel.Errors.Keys);
        Assert.Contains("currency", badTenant.Errors.Keys);
        Assert.Empty(await tenant.Grain.ListBudgets());
        Assert.Equal(JobCostModel.Seed.Environments, (await tenant.Grain.GetDirectory(null))!.CostModel.Environments);
    }
}
