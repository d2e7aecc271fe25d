using System.Collections.Immutable;
using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Ledger;

/// <summary>
/// One durable fact about spend. <see cref="EntryKey"/> is unique per tenant (the idempotency key:
/// <c>usage:{key}</c>, <c>hold:{reservationId}</c>, <c>release:{reservationId}</c>,
/// <c>commit:{reservationId}</c>), so a retried append finds the first entry instead of adding one.
/// </summary>
/// <param name="BudgetIds">The budgets the entry applies to.</param>
/// <param name="ExpiresAt">For a hold: when it frees itself.</param>
/// <param name="Fingerprint">A hash of the request body, to tell a retry from a different request under the same key.</param>
/// <param name="Outcome">The answer given for the entry, replayed to retries (opaque bytes).</param>
/// <param name="HoldSequence">For a commit, release or void: the sequence of the reservation's hold entry.</param>
/// <param name="Epochs">For a hold: the epoch of each budget's activation that took it (same order as <see cref="BudgetIds"/>).</param>
/// <param name="Detail">For usage and a commit: how the amount was priced (LLM usage, job); null for a stated amount.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string EntryKey,
    [property: Id(2)] LedgerEntryKind Kind,
    [property: Id(3)] string? ReservationId,
    [property: Id(4)] ImmutableArray<string> BudgetIds,
    [property: Id(5)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(6)] Amount Amount,
    [property: Id(7)] DateTimeOffset? ExpiresAt,
    [property: Id(8)] string Fingerprint,
    [property: Id(9)] DateTimeOffset RecordedAt,
    [property: Id(10)] byte[]? Outcome,
    [property: Id(11)] long? HoldSequence = null,
    [property: Id(12)] ImmutableArray<long> Epochs = default,
    [property: Id(13)] SpendDetail? Detail = null);

/// <summary>
/// An entry as stored, with its place in the ledger. Sequences are unique across the ledger and grow
/// in commit order (with gaps) among the entries of one <see cref="LedgerPartitions">partition</see>
/// of tenants — so among the entries of any one tenant, and of any one budget.
/// "As stored": times in UTC to the microsecond, attributes in ordinal order — what a later read
/// returns, so an answer and a replay agree.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.LedgerRecord")]
public sealed record LedgerRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LedgerEntry Entry)
{
    /// <summary>What one of the entry's budgets needs of it.</summary>
    public SpendEvent ToSpendEvent(string budgetId)
    {
        var epoch = 0L;
        if (!Entry.Epochs.IsDefaultOrEmpty)
        {
            var index = Entry.BudgetIds.IndexOf(budgetId);
            epoch = index >= 0 && index < Entry.Epochs.Length ? Entry.Epochs[index] : 0;
        }

        return new SpendEvent(Sequence, Entry.Kind, Entry.ReservationId, Entry.Amount, Entry.ExpiresAt, Entry.RecordedAt, Entry.HoldSequence, epoch,
            Entry.Kind == LedgerEntryKind.Reset ? Entry.Fingerprint : null); // a reset keeps its reason there
    }
}

/// <param name="Duplicate">An entry with the same tenant and key was already there: <see cref="Record"/> is that first entry.</param>
public sealed record AppendResult(LedgerRecord Record, bool Duplicate);

/// <summary>The ledger cannot be written or read now (PostgreSQL down): the caller must not acknowledge.</summary>
[GenerateSerializer, Alias("BudgetActors.Grains.LedgerUnavailableException")]
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The append-only record of every hold and charge: the source of truth that budget grains rebuild
/// from (snapshot + the entries after its watermark). An append completes only once the entry is
/// durable; concurrent appends share one round trip (group commit). Within a partition of tenants
/// (<see cref="LedgerPartitions"/>), sequence numbers are assigned in commit order, so "every entry
/// of this tenant, or of this budget, up to N" is a stable set once N is seen: no entry of it below
/// N commits later. Across partitions there is no such order (writers of different partitions
/// commit independently), and nothing may rely on one.
/// </summary>
/// <remarks>Reads fail with <see cref="LedgerUnavailableException"/> too when the database cannot be reached.</remarks>
public interface ISpendLedger
{
    /// <exception cref="LedgerUnavailableException">The entry may or may not be durable; retry with the same key.</exception>
    /// <exception cref="ArgumentException">
    /// The entry cannot be stored exactly (cost with more than 6 decimal places or over 22 integer
    /// digits, a budget listed twice, an empty tenant/key/budget id, a NUL character): nothing is written.
    /// </exception>
    Task<AppendResult> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The entry stored under a key, if any.</summary>
    Task<LedgerRecord?> FindAsync(string tenantId, string entryKey, CancellationToken cancellationToken = default);

    /// <summary>Entries that apply to a budget with a sequence above <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadForBudgetAsync(string tenantId, string budgetId, long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>Every entry of one reservation (hold, release, commit), in sequence order.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadForReservationAsync(string tenantId, string reservationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of a tenant's spend (usage and commit entries), newest first: those with a sequence
    /// below <see cref="SpendQuery.Before"/> that pass its filters, at most its limit. Sequences of
    /// one tenant follow commit order, so the entries below a sequence already seen are a set that
    /// no later write changes: paging by "below the last one seen" has no gaps and no repeats while
    /// writes go on (what is written meanwhile is above the first page, not in later ones).
    /// </summary>
    Task<SpendPage> ReadSpendAsync(SpendQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Spend entries (usage and commit) of every tenant with a sequence above <paramref name="afterSequence"/>,
    /// in sequence order, at most <paramref name="limit"/>, and only up to a horizon below which every
    /// entry has committed: no entry at or below <see cref="SpendBatch.Horizon"/> can appear later, so
    /// a reader that folds them may move its watermark there and never miss one.
    /// </summary>
    Task<SpendBatch> ReadSpendAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);
}
