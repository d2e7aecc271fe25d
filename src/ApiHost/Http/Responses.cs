using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace BudgetActors.ApiHost.Http;

// The response shapes of API.md, mapped from the grain contracts.

public sealed record TenantResponse(
    string Id,
    string Name,
    string Currency,
    string Timezone,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DefaultTier = null)
{
    public static TenantResponse From(TenantInfo t) => new(t.Id, t.Name, t.Currency, t.TimeZone, t.CreatedAt, t.DefaultTier);
}

public sealed record KeyResponse(string Id, string Key, ApiKeyRole Role, string Name);

/// <param name="ExchangeRate">
/// On an estimate or a charge whose cost was converted from catalog (USD) prices: the tenant's rate it
/// was converted at ({ currency, usd, asOf }); left out when the cost is in the tenant's currency as
/// stated or priced (a USD tenant, explicit amounts, the tenant's own prices, jobs).
/// </param>
public sealed record AmountResponse(
    decimal Cost,
    long Tokens,
    long Operations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExchangeRate? ExchangeRate = null)
{
    public static AmountResponse From(Amount a, ExchangeRate? rate = null) => new(a.Cost, a.Tokens, a.Operations, rate);
}

/// <summary>A period's total: exact decimals, since totals outgrow 64-bit counters (they are whole numbers for tokens and operations).</summary>
public sealed record TallyResponse(decimal Cost, decimal Tokens, decimal Operations)
{
    public static TallyResponse From(Tally t) => new(t.Cost, t.Tokens, t.Operations);
}

public sealed record PeriodResponse(
    PeriodType Type,
    string Timezone,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Start = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LengthMinutes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? WindowMinutes = null);

public sealed record LimitsResponse(decimal? Cost, long? Tokens, long? Operations)
{
    public static LimitsResponse From(Limits limits) => new(limits.Cost, limits.Tokens, limits.Operations);
}

public sealed record ThresholdsResponse(decimal Warn, decimal Throttle, decimal Block);

public sealed record EnforcementResponse(
    EnforcementMode Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DowngradeTo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? ThrottleFactor = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GracePeriodMinutes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BypassPriority = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? EmergencyCeiling = null);

public sealed record StatusResponse(
    DateTimeOffset PeriodStart,
    DateTimeOffset? PeriodEnd,
    BudgetState State,
    MetricStatus Cost,
    MetricStatus Tokens,
    MetricStatus Operations)
{
    public static StatusResponse From(BudgetStatus s) => new(s.PeriodStart, s.PeriodEnd, s.State, s.Cost, s.Tokens, s.Operations);
}

public sealed record BudgetResponse(
    string Id,
    ImmutableSortedDictionary<string, string> Scope,
    PeriodResponse Period,
    LimitsResponse Limits,
    ThresholdsResponse Thresholds,
    EnforcementResponse Enforcement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AlertPolicy? Alerts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EmergencyResponse? Emergency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CarryOverPolicy? CarryOver,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RateLimits? RateLimits,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LimitsResponse? PerRequest,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Tier,
    StatusResponse? Status)
{
    public static BudgetResponse From(BudgetDefinition d, BudgetStatus? status) => new(
        d.Id,
        d.Scope,
        new PeriodResponse(d.Period.Type, d.Period.TimeZone, d.Period.Start, d.Period.LengthMinutes, d.Period.WindowMinutes),
        LimitsResponse.From(d.Limits),
        new ThresholdsResponse(d.Thresholds.Warn, d.Thresholds.Throttle, d.Thresholds.Block),
        new EnforcementResponse(d.Mode, d.DowngradeTo, d.Enforcement?.ThrottleFactor, d.Enforcement?.GracePeriodMinutes is > 0 ? d.Enforcement.GracePeriodMinutes : null,
            d.Enforcement?.BypassPriority, d.Enforcement?.EmergencyCeiling),
        d.Alerts,
        d.Emergency is { } e ? new EmergencyResponse(AmountResponse.From(e.Amount), e.PerPeriod) : null,
        d.CarryOver,
        d.RateLimits,
        d.PerRequest is { } p ? LimitsResponse.From(p) : null,
        d.Tier,
        status is null ? null : StatusResponse.From(status));
}

public sealed record EmergencyResponse(AmountResponse Amount, int PerPeriod);

public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);

/// <summary>One applicable budget in an admission answer.</summary>
public sealed record BudgetSummaryResponse(
    string Id,
    BudgetState State,
    MetricStatus Cost,
    MetricStatus Tokens,
    MetricStatus Operations,
    DateTimeOffset? PeriodEnd)
{
    public static ImmutableArray<BudgetSummaryResponse> From(ImmutableArray<BudgetStatus> statuses) =>
        [.. statuses.Select(s => new BudgetSummaryResponse(s.BudgetId, s.State, s.Cost, s.Tokens, s.Operations, s.PeriodEnd))];
}

public sealed record CheckResponse(
    Decision Decision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? ThrottleFactor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DowngradeTo,
    ImmutableArray<string> BlockedBy,
    AmountResponse Estimate,
    ImmutableArray<BudgetSummaryResponse> Budgets,
    ImmutableArray<BudgetReason> Reasons)
{
    public static CheckResponse From(CheckResult r) => new(r.Decision, r.ThrottleFactor, r.DowngradeTo, r.BlockedBy,
        AmountResponse.From(r.Estimate, r.EstimateRate), BudgetSummaryResponse.From(r.Budgets), r.Reasons.IsDefault ? [] : r.Reasons);
}

public sealed record ReserveResponse(
    bool Granted,
    string? ReservationId,
    DateTimeOffset? ExpiresAt,
    Decision Decision,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? ThrottleFactor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DowngradeTo,
    ImmutableArray<string> BlockedBy,
    AmountResponse Estimate,
    ImmutableArray<BudgetSummaryResponse> Budgets,
    ImmutableArray<BudgetReason> Reasons)
{
    public static ReserveResponse From(ReserveResult r) => new(r.Granted, r.ReservationId, r.ExpiresAt, r.Decision,
        r.ThrottleFactor, r.DowngradeTo, r.BlockedBy, AmountResponse.From(r.Estimate, r.EstimateRate), BudgetSummaryResponse.From(r.Budgets),
        r.Reasons.IsDefault ? [] : r.Reasons);
}

public sealed record CommitResponse(AmountResponse Charged, AmountResponse Released, ImmutableArray<BudgetSummaryResponse> Budgets)
{
    public static CommitResponse From(CommitResult r) =>
        new(AmountResponse.From(r.Charged, r.ChargedRate), AmountResponse.From(r.Released), BudgetSummaryResponse.From(r.Budgets));
}

public sealed record ReleaseResponse(AmountResponse Released, ImmutableArray<BudgetSummaryResponse> Budgets)
{
    public static ReleaseResponse From(ReleaseResult r) => new(AmountResponse.From(r.Released), BudgetSummaryResponse.From(r.Budgets));
}

public sealed record UsageResponse(bool Duplicate, AmountResponse Charged, ImmutableArray<BudgetSummaryResponse> Budgets)
{
    public static UsageResponse From(UsageResult r) => new(r.Duplicate, AmountResponse.From(r.Charged, r.ChargedRate), BudgetSummaryResponse.From(r.Budgets));
}

/// <summary>
/// A closed period. closedBy says what closed it (rollover, manual-reset, changed) and manualReset marks
/// a reset, with its reason; carriedIn / carriedOut are what carry-over added to (positive) or took from
/// (negative) its limits, and what it passed on to the next period (absent: nothing).
/// </summary>
public sealed record PeriodRecordResponse(
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    TallyResponse Spent,
    LimitsResponse Limits,
    BudgetState State,
    PeriodCloseKind ClosedBy = PeriodCloseKind.Rollover,
    bool ManualReset = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AmountResponse? CarriedIn = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AmountResponse? CarriedOut = null)
{
    public static PeriodRecordResponse From(PeriodRecord r) => new(r.PeriodStart, r.PeriodEnd, TallyResponse.From(r.Spent),
        LimitsResponse.From(r.Limits), r.FinalState, r.Closed, r.ManualReset, r.Reason,
        r.CarriedIn is { } carriedIn ? AmountResponse.From(carriedIn) : null, r.CarriedOut is { } carriedOut ? AmountResponse.From(carriedOut) : null);
}

public sealed record SummaryResponse(
    string Tenant,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? User,
    BudgetState State,
    ImmutableArray<string> BlockedBy,
    ImmutableArray<BudgetSummaryResponse> Budgets,
    ImmutableArray<AllocationResponse> Allocation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SplitResponse? SpendByUser = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ImmutableArray<ShareResponse>? TopUsers = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SplitResponse? SpendByModel = null)
{
    /// <summary>How many users the tenant summary names as its top.</summary>
    public const int TopUserCount = 10;

    public static SummaryResponse From(SpendSummary s) =>
        new(s.TenantId, s.User, s.WorstState, s.BlockedBy, BudgetSummaryResponse.From(s.Budgets),
            s.Allocation.IsDefault ? [] : [.. s.Allocation.Select(AllocationResponse.From)]);

    /// <summary>The tenant's summary with this month's spend by user and its top 10 users.</summary>
    public static SummaryResponse ForTenant(SpendSummary s, SpendSplit byUser) => From(s) with
    {
        SpendByUser = SplitResponse.Of(byUser),
        TopUsers = [.. byUser.Shares.Take(TopUserCount).Select(ShareResponse.From)],
    };

    /// <summary>A user's summary with this month's spend by model.</summary>
    public static SummaryResponse ForUser(SpendSummary s, SpendSplit byModel) => From(s) with { SpendByModel = SplitResponse.Of(byModel) };
}

/// <summary>Spend over some days split into slices (largest first), with the total of all of them.</summary>
public sealed record SplitResponse(string From, string To, decimal TotalCost, ImmutableArray<ShareResponse> Items)
{
    public static SplitResponse Of(SpendSplit split) => new(
        split.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        split.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        split.Shares.Sum(s => s.Cost), [.. split.Shares.Select(ShareResponse.From)]);
}

public sealed record ShareResponse(string Key, decimal Cost, decimal Tokens, long Count)
{
    public static ShareResponse From(SpendShare s) => new(s.Key, s.Cost, s.Tokens, s.Count);
}

/// <summary>One line of the allocation check: the limits of the budgets directly inside a budget, summed, against its own.</summary>
public sealed record AllocationResponse(string Budget, LimitsResponse Limits, ImmutableArray<string> Nested, LimitsResponse Allocated, bool OverAllocated)
{
    public static AllocationResponse From(AllocationLine line) =>
        new(line.BudgetId, LimitsResponse.From(line.Limits), line.Nested, LimitsResponse.From(line.Allocated), line.OverAllocated);
}
