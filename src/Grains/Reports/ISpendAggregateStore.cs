using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Reports;

/// <summary>
/// Where the daily spend aggregates are kept (PostgreSQL, or memory), with the ledger sequence up to
/// which they are folded (the watermark). Rows and watermark change together, atomically, so a fold
/// that fails or a projector that dies half-way never counts an entry twice or loses one.
/// </summary>
public interface ISpendAggregateStore
{
    Task<long> GetWatermarkAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Merges the deltas into the rows and moves the watermark from <paramref name="expectedWatermark"/>
    /// to <paramref name="newWatermark"/>, all or nothing.
    /// </summary>
    /// <returns>False, and nothing changed, when the watermark was not <paramref name="expectedWatermark"/> any more (another projector folded first).</returns>
    Task<bool> ApplyAsync(long expectedWatermark, long newWatermark, IReadOnlyDictionary<AggregateKey, SpendAggregate> deltas, CancellationToken cancellationToken = default);

    /// <summary>The rows of one tenant and budget (<see cref="SpendDimension.WholeTenant"/> for the tenant's own) of the given dimensions and days (inclusive).</summary>
    Task<IReadOnlyList<KeyValuePair<AggregateKey, SpendAggregate>>> ReadAsync(string tenantId, string budgetId, IReadOnlyCollection<string> dimensions,
        DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Forgets every row and sets the watermark to 0: the projector then rebuilds everything from the ledger.</summary>
    Task ResetAsync(CancellationToken cancellationToken = default);
}
