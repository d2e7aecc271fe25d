using System.Collections.Concurrent;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.Grains.Tests.Infrastructure;

/// <summary>How an injected ledger fault behaves.</summary>
public enum LedgerFault
{
    /// <summary>The append waits until the fault is released (a slow write), then is written.</summary>
    Slow,

    /// <summary>Nothing is written, and the caller is told the ledger is unavailable.</summary>
    FailBeforeCommit,

    /// <summary>The entry is written, then the caller is told the ledger is unavailable (the connection dropped after the commit).</summary>
    FailAfterCommit,
}

/// <summary>
/// The cluster's ledger with faults that tests switch on for the entries they choose (a tenant of
/// their own, a kind, a key): slow writes, failures before or after the commit, and reads that fail.
/// Everything else goes to the in-memory ledger unchanged.
/// </summary>
public sealed class FaultyLedger(InMemorySpendLedger inner) : ISpendLedger
{
    private readonly ConcurrentDictionary<Injected, byte> _faults = new();

    public InMemorySpendLedger Inner => inner;

    /// <summary>
    /// Switches a fault on for the tenant's appends that match (all of them by default), until the
    /// handle is disposed; <paramref name="failFinds"/> and <paramref name="failReads"/> make the
    /// tenant's key lookups and budget or reservation reads fail too.
    /// </summary>
    public Injected Inject(string tenantId, LedgerFault fault, Func<LedgerEntry, bool>? matches = null, bool failFinds = false, bool failReads = false)
    {
        var injected = new Injected(this, tenantId, matches ?? (_ => true), fault, failFinds, failReads);
        _faults[injected] = 0;
        return injected;
    }

    public async Task<AppendResult> AppendAsync(LedgerEntry entry, CancellationToken cancellationToken = default)
    {
        var fault = _faults.Keys.FirstOrDefault(f => f.TenantId == entry.TenantId && f.Matches(entry));
        switch (fault?.Fault)
        {
            case LedgerFault.Slow:
                fault.Hit();
                await fault.Released.Task;
                return await inner.AppendAsync(entry, cancellationToken);
            case LedgerFault.FailBeforeCommit:
                fault.Hit();
                throw new LedgerUnavailableException("Injected: the ledger database failed before the commit.");
            case LedgerFault.FailAfterCommit:
                fault.Hit();
                await inner.AppendAsync(entry, cancellationToken);
                throw new LedgerUnavailableException("Injected: the connection dropped after the commit.");
            default:
                return await inner.AppendAsync(entry, cancellationToken);
        }
    }

    public Task<LedgerRecord?> FindAsync(string tenantId, string entryKey, CancellationToken cancellationToken = default) =>
        _faults.Keys.Any(f => f.FailFinds && f.TenantId == tenantId)
            ? throw new LedgerUnavailableException("Injected: the ledger cannot be read.")
            : inner.FindAsync(tenantId, entryKey, cancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> ReadForBudgetAsync(string tenantId, string budgetId, long afterSequence, CancellationToken cancellationToken = default) =>
        _faults.Keys.Any(f => f.FailReads && f.TenantId == tenantId)
            ? throw new LedgerUnavailableException("Injected: the ledger cannot be read.")
            : inner.ReadForBudgetAsync(tenantId, budgetId, afterSequence, cancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> ReadForReservationAsync(string tenantId, string reservationId, CancellationToken cancellationToken = default) =>
        _faults.Keys.Any(f => f.FailReads && f.TenantId == tenantId)
            ? throw new LedgerUnavailableException("Injected: the ledger cannot be read.")
            : inner.ReadForReservationAsync(tenantId, reservationId, cancellationToken);

    public Task<SpendPage> ReadSpendAsync(SpendQuery query, CancellationToken cancellationToken = default) =>
        _faults.Keys.Any(f => f.FailReads && f.TenantId == query.TenantId)
            ? throw new LedgerUnavailableException("Injected: the ledger cannot be read.")
            : inner.ReadSpendAsync(query, cancellationToken);

    // The aggregates' projector reads every tenant: it is not a fault target.
    public Task<SpendBatch> ReadSpendAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadSpendAfterAsync(afterSequence, limit, cancellationToken);

    /// <summary>An injected fault: dispose to switch it off (a slow write then goes through).</summary>
    public sealed record Injected(FaultyLedger Ledger, string TenantId, Func<LedgerEntry, bool> Matches, LedgerFault Fault, bool FailFinds, bool FailReads) : IDisposable
    {
        private int _hits;

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when an append first met this fault.</summary>
        public TaskCompletionSource FirstHit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Hits => Volatile.Read(ref _hits);

        internal void Hit()
        {
            Interlocked.Increment(ref _hits);
            FirstHit.TrySetResult();
        }

        /// <summary>A slow write goes on; other faults stop applying.</summary>
        public void Release()
        {
            Ledger._faults.TryRemove(this, out _);
            Released.TrySetResult();
        }

        public void Dispose() => Release();

        public bool Equals(Injected? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
    }
}
