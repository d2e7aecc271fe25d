using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Http;
using BudgetActors.Domain;
using BudgetActors.Domain.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BudgetActors.ApiHost.Endpoints;

/// <summary>Spend records from the ledger, and reports and trends from the daily aggregates.</summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/tenants/{tenant}/records", Records).Requires(ApiKeyRole.Service)
            .Produces<RecordsResponse>()
            .WithSummary("The tenant's spend records (usage and commits), newest first, paged by cursor.")
            .WithDescription("Read from the ledger; a service or tenant-admin key of the tenant. Filters: budget (records charged to it), user, " +
                "queue (attributes), model (the model attribute, else the model an llmUsage was priced as), since and until (RFC 3339, on 'at'; " +
                "since inclusive, until exclusive), limit (1–1000, default 100). Newest first means in the order the ledger stored them " +
                "(a back-dated usage is where it arrived, with its own 'at'). 'next' is an opaque cursor for the following page, null after the " +
                "oldest record; paging with it never skips or repeats a record while writes go on (records written meanwhile are newer than " +
                "the first page). Each item: id (the usage id, or the reservation id of a commit), kind (usage | commit), at, attributes, " +
                "charged { cost, tokens, operations }, budgets (ids charged), and detail when the amount was priced: for llmUsage " +
                "{ model, inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens, components }, each token in one " +
                "count (input excludes cached and cache-write tokens, output excludes reasoning); for jobUsage { cpuSeconds, memoryMbSeconds, " +
                "payloadBytes, ops, networkBytes, multiplier, components }. components: the cost of each part in the tenant's currency " +
                "(input, cachedInput, cacheWrite, output, reasoning; cpu, memory, payload, ops, network, base — a job's parts with the " +
                "environment multiplier applied), adding up to charged.cost exactly.");
        v1.MapGet("/tenants/{tenant}/report", Report).Requires(ApiKeyRole.Service)
            .Produces<ReportResponse>()
            .WithSummary("Spend over whole days of the tenant's time zone, grouped by queue, model, user, project or budget, with recommendations.")
            .WithDescription("from and to: YYYY-MM-DD, days of the tenant's time zone, both included, at most 366 days (required); groupBy: " +
                "queue | model | user | project | budget (default budget). From the daily aggregates, which first take in every charge " +
                "acknowledged before the call: total and group cost equal the ledger to the micro-unit. A charge counts on the day of its " +
                "'at' (a back-dated usage on its own day). groups: one per value, largest cost first; key null for charges without the " +
                "attribute (for budget: charged to no budget). share: cost / total cost (0–1, 6 places; budgets nest, so their shares may add " +
                "up to more than 1). avg: cost / count (6 places, half to even); min and max: exact; p95: the 95th percentile of cost per charge " +
                "from a DDSketch of 1 % relative accuracy (within 1 % of the true value, rounded to 6 places, within [min, max]). " +
                "components: cost by part, non-zero ones only, adding up to cost (a cache write counts as input; a job's base and charges " +
                "stated as plain amounts as other). topDrivers: the five largest groups. recommendations: sentences computed from these numbers.");
        v1.MapGet("/tenants/{tenant}/budgets/{budgetId}/trend", Trend).Requires(ApiKeyRole.Service)
            .Produces<TrendResponse>()
            .WithSummary("A budget's spend per day over the last days (default 30, at most 366), every day present, zeros included.")
            .WithDescription("Days are dates of the tenant's time zone ending today: the aggregates are kept per tenant-zone day. For a budget " +
                "whose period is in another zone, a date's figures are the spend of the tenant's day of that date, which straddles two of " +
                "the budget's days. Each day: date, cost (exact), tokens, operations, count (charges).");
        v1.MapGet("/tenants/{tenant}/budgets/{budgetId}/forecast", Forecast).Requires(ApiKeyRole.Service)
            .Produces<ForecastResponse>().Produces<InsufficientHistoryResponse>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Where the budget's period is heading: spend at period end with a p10–p90 band, when it would pass its limit, and what to do.")
            .WithDescription("About the budget's leading metric (the limited one nearest its limit). Under 3 days of history (counted from the " +
                "first day with spend): { insufficientHistory: true, historyDays, runRate } (spend per day so far). 3–6 days: a run rate. From 7 " +
                "days: seasonal-naive, linear trend with day-of-week effects or damped additive Holt-Winters (period 7), whichever a rolling-origin " +
                "backtest over the last 21 days finds best by mean absolute error (seasonal-naive unless another is strictly better); the band " +
                "comes from that backtest's errors, widening with the days left (docs/FORECASTING.md). trend: rising / falling when the last 14 " +
                "days' slope passes 5 % a week and two standard errors, else flat. overrunAt: when the p50 path passes the limit, null if not " +
                "before period end; days: the p50 path day by day. A total or rolling budget has no period end: 409.");
        return v1;
    }

    private static async Task<IResult> Forecast(string tenant, string budgetId, IGrainFactory grains)
    {
        if (!Identifiers.IsId(budgetId))
        {
            throw ApiProblem.Invalid("budgetId", Identifiers.IdRule);
        }

        return await grains.GetGrain<ISpendReportGrain>(0).Forecast(tenant, budgetId) switch
        {
            Domain.Forecasting.Forecast f => TypedResults.Ok(ForecastResponse.From(f)),
            Domain.Forecasting.InsufficientHistory i => TypedResults.Ok(new InsufficientHistoryResponse(true, i.HistoryDays, i.RunRate)),
            var other => throw new InvalidOperationException($"Unknown forecast outcome {other.GetType().Name}."),
        };
    }

    private static async Task<Ok<RecordsResponse>> Records(string tenant, string? budget, string? user, string? model, string? queue,
        string? since, string? until, string? cursor, string? limit, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (budget is not null && !Identifiers.IsId(budget))
        {
            errors.Add("budget", Identifiers.IdRule);
        }

        Value(user, "user", errors);
        Value(model, "model", errors);
        Value(queue, "queue", errors);
        var query = new RecordsQuery(tenant, budget, user, model, queue, QueryLimits.Time(since, "since", errors), QueryLimits.Time(until, "until", errors),
            QueryLimits.Cursor(cursor, errors, minimum: 1), QueryLimits.Limit(limit, RecordsQuery.DefaultLimit, RecordsQuery.MaxLimit, errors));
        ApiProblem.ThrowIfAny(errors);
        var page = await grains.GetGrain<ISpendReportGrain>(0).Records(query);
        return TypedResults.Ok(new RecordsResponse([.. page.Items.Select(RecordResponse.From)], page.Next?.ToString(CultureInfo.InvariantCulture)));
    }

    private static async Task<Ok<ReportResponse>> Report(string tenant, string? from, string? to, string? groupBy, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        var (first, last, by) = ReportRules.Report(from, to, groupBy, errors);
        ApiProblem.ThrowIfAny(errors);
        return TypedResults.Ok(ReportResponse.Of(await grains.GetGrain<ISpendReportGrain>(0).Report(tenant, first, last, by)));
    }

    private static async Task<Ok<TrendResponse>> Trend(string tenant, string budgetId, string? days, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (!Identifiers.IsId(budgetId))
        {
            errors.Add("budgetId", Identifiers.IdRule);
        }

        var count = ReportRules.TrendDays(days, errors);
        ApiProblem.ThrowIfAny(errors);
        var trend = await grains.GetGrain<ISpendReportGrain>(0).Trend(tenant, budgetId, count);
        return TypedResults.Ok(new TrendResponse([.. trend.Select(TrendDayResponse.From)]));
    }

    private static void Value(string? value, string field, RequestErrors errors)
    {
        if (value is not null && !Identifiers.IsAttributeValue(value))
        {
            errors.Add(field, Identifiers.AttributeValueRule);
        }
    }
}

public sealed record RecordsResponse(IReadOnlyList<RecordResponse> Items, string? Next);

public sealed record RecordResponse(
    string Id,
    string Kind,
    DateTimeOffset At,
    ImmutableSortedDictionary<string, string> Attributes,
    AmountResponse Charged,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DetailResponse? Detail,
    IReadOnlyList<string> Budgets)
{
    public static RecordResponse From(SpendRecord r) => new(r.Id, r.Kind == LedgerEntryKind.Commit ? "commit" : "usage", r.At, r.Attributes,
        AmountResponse.From(r.Charged), r.Detail is { } detail ? DetailResponse.From(detail) : null, r.Budgets);
}

public sealed record DetailResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? InputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CachedInputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CacheWriteTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? OutputTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ReasoningTokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? CpuSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? MemoryMbSeconds,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PayloadBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Ops,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NetworkBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Multiplier,
    ImmutableSortedDictionary<string, decimal> Components)
{
    public static DetailResponse From(SpendDetail d) => new(d.Model,
        d.Tokens?.Input, d.Tokens?.CachedInput, d.Tokens?.CacheWrite, d.Tokens?.Output, d.Tokens?.Reasoning,
        d.Job?.CpuSeconds, d.Job?.MemoryMbSeconds, d.Job?.PayloadBytes, d.Job?.Ops, d.Job?.NetworkBytes, d.Multiplier, d.Components);
}

public sealed record ReportResponse(string From, string To, string Currency, ReportTotalResponse Total,
    IReadOnlyList<ReportGroupResponse> Groups, IReadOnlyList<ReportGroupResponse> TopDrivers, IReadOnlyList<string> Recommendations)
{
    public static ReportResponse Of(SpendReport r) => new(Date(r.From), Date(r.To), r.Currency,
        new ReportTotalResponse(r.Total.Cost, r.Total.Tokens, r.Total.Operations, r.Total.Count),
        [.. r.Groups.Select(ReportGroupResponse.From)], [.. r.TopDrivers.Select(ReportGroupResponse.From)], r.Recommendations);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record ReportTotalResponse(decimal Cost, decimal Tokens, decimal Operations, long Count);

public sealed record ReportGroupResponse(string? Key, long Count, decimal Cost, decimal Share, decimal Avg, decimal Min, decimal Max, decimal P95,
    ImmutableSortedDictionary<string, decimal> Components)
{
    public static ReportGroupResponse From(ReportGroup g) => new(g.Key, g.Count, g.Cost, g.Share, g.Avg, g.Min, g.Max, g.P95, g.Components);
}

public sealed record TrendResponse(IReadOnlyList<TrendDayResponse> Days);

public sealed record TrendDayResponse(string Date, decimal Cost, decimal Tokens, decimal Operations, long Count)
{
    public static TrendDayResponse From(TrendDay d) => new(ReportResponse.Date(d.Date), d.Cost, d.Tokens, d.Operations, d.Count);
}

public sealed record ForecastResponse(
    DateTimeOffset PeriodEnd,
    decimal Spent,
    PredictedResponse Predicted,
    decimal? UtilizationAtEnd,
    Domain.Forecasting.ForecastTrend Trend,
    DateTimeOffset? OverrunAt,
    int? DaysUntilOverrun,
    string Method,
    int HistoryDays,
    string Recommendation,
    IReadOnlyList<ForecastDayResponse> Days)
{
    public static ForecastResponse From(Domain.Forecasting.Forecast f) => new(f.PeriodEnd, f.Spent,
        new PredictedResponse(f.Predicted.P10, f.Predicted.P50, f.Predicted.P90), f.UtilizationAtEnd, f.Trend, f.OverrunAt,
        f.DaysUntilOverrun, f.Method, f.HistoryDays, f.Recommendation, [.. f.Days.Select(d => new ForecastDayResponse(d.From, d.To, d.Amount))]);
}

public sealed record PredictedResponse(decimal P10, decimal P50, decimal P90);

public sealed record ForecastDayResponse(DateTimeOffset From, DateTimeOffset To, decimal P50);

public sealed record InsufficientHistoryResponse(bool InsufficientHistory, int HistoryDays, decimal RunRate);
