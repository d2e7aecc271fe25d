using System.Collections.Immutable;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>
/// A fresh tenant of the shared cluster, and short ways to drive it: definitions go through the tenant
/// grain, admission through <see cref="IAdmissionGrain"/> from the cluster client, as a job worker does.
/// </summary>
public sealed class TestTenant
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    private readonly ClusterFixture _fixture;

    private TestTenant(ClusterFixture fixture, string id)
    {
        _fixture = fixture;
        Id = id;
    }

    public string Id { get; }

    public ITenantGrain Grain => _fixture.Client.GetGrain<ITenantGrain>(Id);

    private IAdmissionGrain Admission => _fixture.Admission;

    public static async Task<TestTenant> CreateAsync(ClusterFixture fixture)
    {
        var tenant = new TestTenant(fixture, "t-" + Guid.NewGuid().ToString("N"));
        await tenant.Grain.Create("Test tenant", "USD", "UTC");
        return tenant;
    }

    public static ImmutableSortedDictionary<string, string> Attributes(params (string Name, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    public static Amount Cost(decimal cost) => new(cost, 0, 0);

    /// <summary>What a period has spent after usages of <see cref="Cost"/> only.</summary>
    public static Tally Spent(decimal cost) => new(cost, 0, 0);

    public async Task<BudgetDefinition> PutBudget(
        string budgetId,
        Limits limits,
        ImmutableSortedDictionary<string, string>? scope = null,
        PeriodSpec? period = null,
        Thresholds? thresholds = null,
        EnforcementMode mode = EnforcementMode.Hard,
        string? downgradeTo = null)
    {
        var definition = new BudgetDefinition(budgetId,
            scope ?? ImmutableSortedDictionary<string, string>.Empty,
            period ?? new PeriodSpec(PeriodType.Total, "UTC"),
            limits,
            thresholds ?? Thresholds.Default,
            mode,
            downgradeTo);
        var result = await Grain.PutBudget(definition);
        return result.Definition;
    }

    public Task<BudgetDefinition> PutCostBudget(string budgetId, decimal limit, ImmutableSortedDictionary<string, string>? scope = null) =>
        PutBudget(budgetId, new Limits(limit, null, null), scope);

    public Task<CheckResult> Check(Amount estimate, ImmutableSortedDictionary<string, string>? attributes = null, int priority = 0) =>
        Admission.Check(Id, new CheckRequest(attributes ?? Attributes(), new ExplicitAmount(estimate), priority));

    public Task<ReserveResult> Reserve(
        Amount estimate,
        ImmutableSortedDictionary<string, string>? attributes = null,
        TimeSpan? ttl = null,
        string? idempotencyKey = null,
        int priority = 0) =>
        Admission.Reserve(Id, new ReserveRequest(idempotencyKey, attributes ?? Attributes(), new ExplicitAmount(estimate), ttl ?? DefaultTtl, priority));

    public Task<CommitResult> Commit(string reservationId, Amount actual) =>
        Admission.Commit(Id, reservationId, new CommitRequest(new ExplicitAmount(actual)));

    public Task<ReleaseResult> Release(string reservationId) => Admission.Release(Id, reservationId);

    public Task<UsageResult> Record(Amount actual, ImmutableSortedDictionary<string, string>? attributes = null, string? idempotencyKey = null) =>
        Admission.RecordUsage(Id, new UsageRequest(idempotencyKey ?? Guid.NewGuid().ToString("N"), attributes ?? Attributes(), new ExplicitAmount(actual)));

    /// <summary>Usage that happened at <paramref name="at"/> (the request's timestamp), at cost only.</summary>
    public Task<UsageResult> RecordAt(decimal cost, DateTimeOffset at) =>
        Admission.RecordUsage(Id, new UsageRequest(Guid.NewGuid().ToString("N"), Attributes(), new ExplicitAmount(Cost(cost)), at));

    public IBudgetGrain Budget(string budgetId) => _fixture.Client.GetGrain<IBudgetGrain>(BudgetKey.Of(Id, budgetId));

    /// <summary>The budget's status straight from its grain (which rolls the period over if it ended).</summary>
    public async Task<BudgetStatus> Status(string budgetId) =>
        await Budget(budgetId).GetStatus() ?? throw new InvalidOperationException($"Budget {budgetId} is not defined.");
}
