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
        var view = await directory.RequireAsync(query.TenantId);
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
        var view = await directory.RequireAsync(tenantId);
        await projector.CatchUpAsync();
        var rows = await aggregates.ReadAsync(tenantId, SpendDimension.WholeTenant, [.. ReportDimensions, groupBy], from, to);
        return ReportBuilder.Build(from, to, view.Tenant.Currency, groupBy, rows, alternatives);
    }

    public async Task<ImmutableArray<TrendDay>> Trend(string tenantId, string budgetId, int days)
    {
        var view = await directory.RequireAsync(tenantId);
        if (view.FindBudget(budgetId) is null)
        {
            throw BudgetActorsException.BudgetNotFound(budgetId);
        }

        await projector.CatchUpAsync();
        return await TrendOf(view, budgetId, days);
    }

    public async Task<SpendSplit> SpendSplit(string tenantId, string? user)
    {
        var view = await directory.RequireAsync(tenantId);
        await projector.CatchUpAsync();
        var today = SpendFolder.DayOf(clock.GetUtcNow(), view.Tenant.TimeZone);
        var first = new DateOnly(today.Year, today.Month, 1);
        var prefix = user + SpendDimension.Separator;
        var rows = await aggregates.ReadAsync(tenantId, SpendDimension.WholeTenant, [user is null ? SpendDimension.User : SpendDimension.UserModel], first, today);
        var shares = rows
            .Where(r => user is null ? r.Key.Value.Length > 0 : r.Key.Value.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(r => user is null ? r.Key.Value : r.Key.Value[prefix.Length..], StringComparer.Ordinal)
            .Select(g => new SpendShare(g.Key, g.Sum(r => r.Value.Cost), g.Sum(r => r.Value.Tokens), g.Sum(r => r.Value.Count)))
            .OrderByDescending(s => s.Cost).ThenBy(s => s.Key, StringComparer.Ordinal);
        return new SpendSplit(first, today, [.. shares]);
    }

    public async Task<ForecastOutcome> Forecast(string tenantId, string budgetId)
    {
        var view = await directory.RequireAsync(tenantId);
        var definition = view.FindBudget(budgetId) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        if (definition.Period.Type is PeriodType.Total or PeriodType.Rolling)
        {
            throw new BudgetActorsException(ProblemKind.Conflict,
                $"Budget '{budgetId}' has a {definition.Period.Type.ToString().ToLowerInvariant()} period, which never ends: there is no period end to forecast.");
        }

        var basis = await GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(tenantId, budgetId)).GetForecastBasis()
            ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        await projector.CatchUpAsync();
        return await Predict(view, definition, basis);
    }

    public async Task<ForecastOutcome> ForecastFrom(string tenantId, string budgetId, ForecastBasis basis)
    {
        var view = await directory.RequireAsync(tenantId);
        var definition = view.FindBudget(budgetId) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        return await Predict(view, definition, basis);
    }

    private async Task<ForecastOutcome> Predict(TenantView view, BudgetDefinition definition, ForecastBasis basis)
    {
        var days = await TrendOf(view, definition.Id, Forecaster.MaxHistoryDays);
        var first = days.FirstOrDefault(d => d.Count > 0);
        return Forecaster.Predict(new ForecastInput(definition.Id, basis.Metric, ForecastInput.DailyOf(days, basis.Metric), null,
            basis.PeriodStart, basis.PeriodEnd, definition.Period.TimeZone, basis.Limit, basis.Spent, clock.GetUtcNow())
        {
            // History starts with the first day that saw spend: the days before it say nothing about a rate.
            FirstDay = first is null ? LocalDate.FromDateOnly(days[^1].Date) : LocalDate.FromDateOnly(first.Date),
        });
    }

    /// <summary>The budget's last <paramref name="days"/> days from the aggregates as they are (the caller caught up, or need not).</summary>
    private async Task<ImmutableArray<TrendDay>> TrendOf(TenantView view, string budgetId, int days)
    {
        var today = SpendFolder.DayOf(clock.GetUtcNow(), view.Tenant.TimeZone);
        var rows = await aggregates.ReadAsync(view.Tenant.Id, budgetId, TrendDimensions, today.AddDays(1 - days), today);
        return TrendBuilder.Build(today, days, rows.Select(r => KeyValuePair.Create(r.Key.Day, r.Value)));
    }

    private static SpendRecord RecordOf(LedgerRecord record)
    {
        var entry = record.Entry;
        var id = entry.Kind == LedgerEntryKind.Commit
            ? entry.ReservationId ?? entry.EntryKey
            : entry.EntryKey.StartsWith(LedgerKeys.Usage(""), StringComparison.Ordinal) ? entry.EntryKey[LedgerKeys.Usage("").Length..] : entry.EntryKey;
        return new SpendRecord(id, entry.Kind, entry.RecordedAt, entry.Attributes, entry.Amount, entry.Detail, entry.BudgetIds, record.Sequence);
    }
}
