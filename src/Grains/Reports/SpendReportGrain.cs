using System.Collections.Immutable;
using BudgetActors.Domain;
using BudgetActors.Domain.Forecasting;
using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using NodaTime;
using Orleans.Concurrency;

namespace BudgetActors.Grains.Reports;

/// <summary>Reads records from the silo's ledger and reports and trends from its aggregates (see <see cref="ISpendReportGrain"/>).</summary>
[StatelessWorker, Reentrant]
public sealed class SpendReportGrain(ISpendLedger ledger, ISpendAggregateStore aggregates, SpendProjector projector,
    TenantDirectoryCache directory, IModelAlternatives alternatives, TimeProvider clock) : Grain, ISpendReportGrain
{
    private static readonly string[] ReportDimensions = [SpendDimension.Total, SpendDimension.Model, SpendDimension.UserModel];
    private static readonly string[] TrendDimensions = [SpendDimension.Total];

    public async Task<RecordsPage> Records(RecordsQuery query)
    {
        var view = await RequireTenant(query.TenantId);
        if (query.BudgetId is { } budget && view.FindBudget(budget) is null)
        {
            throw BudgetActorsException.BudgetNotFound(budget);
        }

        var page = await ledger.ReadSpendAsync(new SpendQuery(query.TenantId, query.BudgetId, query.User, query.Model, query.Queue,
            query.Since, query.Until, query.Before, Math.Clamp(query.Limit, 1, RecordsQuery.MaxLimit)));
        return new RecordsPage([.. page.Items.Select(RecordOf)], page.Next);
    }

    public async Task<SpendReport> Report(string tenantId, DateOnly from, DateOnly to, string groupBy)
    {
        var view = await RequireTenant(tenantId);
        await projector.CatchUpAsync();
        var rows = await aggregates.ReadAsync(tenantId, SpendDimension.WholeTenant, [.. ReportDimensions, groupBy], from, to);
        return ReportBuilder.Build(from, to, view.Tenant.Currency, groupBy, rows, alternatives);
    }

    public async Task<ImmutableArray<TrendDay>> Trend(string tenantId, string budgetId, int days)
    {
        var view = await RequireTenant(tenantId);
        if (view.FindBudget(budgetId) is null)
        {
            throw BudgetActorsException.BudgetNotFound(budgetId);
        }

        await projector.CatchUpAsync();
        var today = SpendFolder.DayOf(clock.GetUtcNow(), view.Tenant.TimeZone);
        var rows = await aggregates.ReadAsync(tenantId, budgetId, TrendDimensions, today.AddDays(1 - days), today);
        return TrendBuilder.Build(today, days, rows.Select(r => KeyValuePair.Create(r.Key.Day, r.Value)));
    }

    public async Task<ForecastOutcome> Forecast(string tenantId, string budgetId)
    {
        var view = await RequireTenant(tenantId);
        var definition = view.FindBudget(budgetId) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        var status = await GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(tenantId, budgetId)).GetStatus()
            ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        if (status.PeriodEnd is not { } periodEnd || definition.Period.Type == PeriodType.Rolling)
        {
            throw new BudgetActorsException(ProblemKind.Conflict,
                $"Budget '{budgetId}' has a {definition.Period.Type.ToString().ToLowerInvariant()} period, which never ends: there is no period end to forecast.");
        }

        var days = await Trend(tenantId, budgetId, Forecaster.MaxHistoryDays);
        var (metric, current) = Leading(status);
        var daily = days.ToDictionary(d => LocalDate.FromDateOnly(d.Date), d => metric switch
        {
            "tokens" => d.Tokens,
            "operations" => d.Operations,
            _ => d.Cost,
        });
        var first = days.FirstOrDefault(d => d.Count > 0);
        return Forecaster.Predict(new ForecastInput(budgetId, metric, daily, null, status.PeriodStart, periodEnd,
            definition.Period.TimeZone, current.Limit, current.Spent, clock.GetUtcNow())
        {
            // History starts with the first day that saw spend: the days before it say nothing about a rate.
            FirstDay = first is null ? LocalDate.FromDateOnly(days[^1].Date) : LocalDate.FromDateOnly(first.Date),
        });
    }

    /// <summary>The limited metric nearest its limit (cost when none is limited): the one a forecast is about.</summary>
    private static (string Metric, MetricStatus Status) Leading(BudgetStatus status) =>
        new[] { ("cost", status.Cost), ("tokens", status.Tokens), ("operations", status.Operations) }
            .Where(m => m.Item2.Limit is not null)
            .OrderByDescending(m => m.Item2.Utilization ?? 0m)
            .Select(m => ((string, MetricStatus)?)m)
            .FirstOrDefault() ?? ("cost", status.Cost);

    private static SpendRecord RecordOf(LedgerRecord record)
    {
        var entry = record.Entry;
        var id = entry.Kind == LedgerEntryKind.Commit
            ? entry.ReservationId ?? entry.EntryKey
            : entry.EntryKey.StartsWith(LedgerKeys.Usage(""), StringComparison.Ordinal) ? entry.EntryKey[LedgerKeys.Usage("").Length..] : entry.EntryKey;
        return new SpendRecord(id, entry.Kind, entry.RecordedAt, entry.Attributes, entry.Amount, entry.Detail, entry.BudgetIds, record.Sequence);
    }

    private async ValueTask<TenantView> RequireTenant(string tenantId) =>
        Identifiers.IsId(tenantId)
            ? await directory.GetAsync(tenantId) ?? throw BudgetActorsException.TenantNotFound(tenantId)
            : throw BudgetActorsException.Invalid("tenant", Identifiers.IdRule);
}
