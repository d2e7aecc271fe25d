using System.Collections.Immutable;
using BudgetActors.Domain.Reports;

namespace BudgetActors;

/// <summary>
/// Reads spend where the silos keep it — the records from the ledger, reports and trends from the
/// daily aggregates — for hosts that are clients of the cluster as well as co-hosted ones. A
/// stateless worker on every silo. Reports and trends first fold what the aggregates have not yet
/// seen, so they count every charge acknowledged before the call.
/// </summary>
[Alias("BudgetActors.ISpendReportGrain")]
public interface ISpendReportGrain : IGrainWithIntegerKey
{
    /// <exception cref="BudgetActorsException">NotFound for an unknown tenant or budget.</exception>
    [Alias("Records")]
    Task<RecordsPage> Records(RecordsQuery query);

    /// <param name="groupBy">queue, model, user, project or budget.</param>
    [Alias("Report")]
    Task<SpendReport> Report(string tenantId, DateOnly from, DateOnly to, string groupBy);

    /// <summary>The budget's last <paramref name="days"/> days up to today (days of the tenant's zone), every day present.</summary>
    [Alias("Trend")]
    Task<ImmutableArray<TrendDay>> Trend(string tenantId, string budgetId, int days);

    /// <summary>
    /// This month's spend (days of the tenant's zone, from the 1st to today) split by user — or, for one
    /// <paramref name="user"/>, by model — largest first, from the daily aggregates.
    /// </summary>
    [Alias("SpendSplit")]
    Task<SpendSplit> SpendSplit(string tenantId, string? user);

    /// <summary>
    /// Where the budget's period is heading: its leading metric's spend at period end with a p10–p90
    /// band, from the budget's daily spend (up to 91 days) and its status now (see <c>Forecaster</c>).
    /// </summary>
    /// <exception cref="BudgetActorsException">NotFound for an unknown tenant or budget; Conflict for a budget whose period never ends (total, rolling).</exception>
    [Alias("Forecast")]
    Task<Domain.Forecasting.ForecastOutcome> Forecast(string tenantId, string budgetId);

    /// <summary>
    /// The same from what the budget says of itself (<paramref name="basis"/>), for its own alert
    /// timer: read from the aggregates as they are — the silos' background folding keeps them within
    /// seconds of the ledger — rather than folding first and asking the budget back for its status.
    /// </summary>
    /// <exception cref="BudgetActorsException">NotFound for an unknown tenant or budget.</exception>
    [Alias("ForecastFrom")]
    Task<Domain.Forecasting.ForecastOutcome> ForecastFrom(string tenantId, string budgetId, Domain.Forecasting.ForecastBasis basis);
}
