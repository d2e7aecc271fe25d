using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BudgetActors.Grains.Reports;

/// <summary>
/// Keeps the daily aggregates up with the ledger, off the record path: every
/// <see cref="ProjectorOptions.ProjectionInterval"/>, and whenever a report asks
/// (<see cref="CatchUpAsync"/>), it reads the spend entries after the store's watermark (only up to
/// the ledger's horizon, below which nothing can still commit), folds each into its day of the
/// tenant's zone and hands rows and new watermark to the store in one atomic step. If another
/// projector (another silo) folded first, the store refuses and this one reads again from the new
/// watermark: an entry is counted once whoever folds it. A store at watermark 0 (new, or reset) is
/// rebuilt from the whole ledger this way.
/// </summary>
public sealed class SpendProjector(ISpendLedger ledger, ISpendAggregateStore store, TenantDirectoryCache directory,
    IOptions<ProjectorOptions> options, ILogger<SpendProjector> logger) : BackgroundService
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Folds until the store holds every spend entry acknowledged before this call.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            while (!await FoldOnceAsync(cancellationToken))
            {
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Background)
        {
            logger.LogInformation("Reports:Background is off: this silo folds spend into the daily aggregates only when a report asks.");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The ledger or the store is down, or the silo is not up yet: the next round tries again.
                logger.LogWarning(error, "Folding spend into the daily aggregates failed; trying again in {Interval}.", options.Value.ProjectionInterval);
            }

            try
            {
                await Task.Delay(options.Value.ProjectionInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>True when the fold reached the ledger's horizon (nothing more to read for now).</returns>
    private async Task<bool> FoldOnceAsync(CancellationToken cancellationToken)
    {
        var watermark = await store.GetWatermarkAsync(cancellationToken);
        var batch = await ledger.ReadSpendAfterAsync(watermark, options.Value.BatchSize, cancellationToken);
        if (batch.Horizon <= watermark)
        {
            return true;
        }

        var folder = new SpendFolder();
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in batch.Entries)
        {
            var entry = record.Entry;
            if (!zones.TryGetValue(entry.TenantId, out var zone))
            {
                zones[entry.TenantId] = zone = (await directory.GetAsync(entry.TenantId))?.Tenant.TimeZone ?? "UTC";
            }

            folder.Add(new SpendFact(entry.TenantId, record.Sequence, entry.RecordedAt, entry.Attributes, entry.BudgetIds, entry.Amount, entry.Detail), zone);
        }

        if (!await store.ApplyAsync(watermark, batch.Horizon, folder.Deltas, cancellationToken))
        {
            return false; // another projector moved the watermark: read again from where it is now
        }

        return batch.Entries.Count < options.Value.BatchSize;
    }
}
