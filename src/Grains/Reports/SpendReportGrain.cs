using System.Collections.Immutable;
using BudgetActors.Domain;
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
