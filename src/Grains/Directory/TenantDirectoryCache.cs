using System.Collections.Concurrent;
using System.Diagnostics;
using BudgetActors.Domain;

namespace BudgetActors.Grains.Directory;

/// <summary>
/// A per-process cache of tenant directories, so that checks never queue behind a tenant grain.
/// Each copy is held under a lease from the tenant grain (see <see cref="DirectoryLease"/>); the
/// grain calls <see cref="Invalidate"/> on this object before any change to the tenant takes effect.
/// One instance per silo and per client process.
/// </summary>
public sealed class TenantDirectoryCache(IGrainFactory grains) : ITenantDirectoryObserver
{
    private static readonly long LeaseTicks = (long)(DirectoryLease.Duration.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// How long "no such tenant" is believed. Keys of unknown tenants (anyone can make one up) then
    /// cost a dictionary lookup, not a grain call and a storage read each. A tenant created meanwhile
    /// is seen at once by the host that created it, and by other processes within this time.
    /// </summary>
    public static readonly TimeSpan UnknownTenantTime = TimeSpan.FromSeconds(5);

    private static readonly long UnknownTicks = (long)(UnknownTenantTime.TotalSeconds * Stopwatch.Frequency);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _invalidations = new(StringComparer.Ordinal);
    private Task<ITenantDirectoryObserver>? _observer;
    private int _unknownSinceSweep;

    /// <summary>The tenant's directory, or null when the tenant does not exist.</summary>
    public ValueTask<TenantView?> GetAsync(string tenantId)
    {
        if (_entries.TryGetValue(tenantId, out var entry) && Stopwatch.GetTimestamp() < entry.ValidUntil)
        {
            return ValueTask.FromResult<TenantView?>(entry.View);
        }

        return new ValueTask<TenantView?>(FetchAsync(tenantId));
    }

    /// <summary>
    /// The tenant's directory, or the typed refusal every door gives: InvalidRequest for an id that
    /// cannot be a tenant's, NotFound for a tenant that does not exist.
    /// </summary>
    public async ValueTask<TenantView> RequireAsync(string tenantId) =>
        Identifiers.IsId(tenantId)
            ? await GetAsync(tenantId) ?? throw BudgetActorsException.TenantNotFound(tenantId)
            : throw BudgetActorsException.Invalid("tenant", Identifiers.IdRule);

    public Task Invalidate(string tenantId)
    {
        _invalidations.AddOrUpdate(tenantId, 1, static (_, n) => n + 1);
        _entries.TryRemove(tenantId, out _);
        return Task.CompletedTask;
    }

    private async Task<TenantView?> FetchAsync(string tenantId)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        while (true)
        {
            var invalidations = _invalidations.GetValueOrDefault(tenantId);
            var askedAt = Stopwatch.GetTimestamp();
            var directory = await tenant.GetDirectory(await Observer());
            var entry = directory is null
                ? new Entry(null, askedAt + UnknownTicks)
                : new Entry(new TenantView(directory, grains), askedAt + LeaseTicks);
            _entries[tenantId] = entry;
            if (directory is null && Interlocked.Increment(ref _unknownSinceSweep) % 1024 == 0)
            {
                SweepUnknown(); // made-up tenant ids must not grow the cache
            }

            // Invalidate counts first and removes second, so reading the count after storing the
            // entry is enough: either we see the change here, or its removal comes after our store.
            if (_invalidations.GetValueOrDefault(tenantId) != invalidations)
            {
                _entries.TryRemove(KeyValuePair.Create(tenantId, entry));
                continue; // changed while we asked: this copy may already be stale
            }

            return entry.View;
        }
    }

    private void SweepUnknown()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (tenantId, entry) in _entries)
        {
            if (entry.View is null && entry.ValidUntil <= now)
            {
                _entries.TryRemove(KeyValuePair.Create(tenantId, entry));
            }
        }
    }

    /// <summary>
    /// This cache as a grain observer, created on first use. Orleans refuses to create an object
    /// reference from inside a grain's turn, and the first use may be a grain's: create it off the
    /// grain scheduler.
    /// </summary>
    private Task<ITenantDirectoryObserver> Observer()
    {
        if (_observer is { } existing)
        {
            return existing;
        }

        var created = Task.Run(() => grains.CreateObjectReference<ITenantDirectoryObserver>(this));
        return Interlocked.CompareExchange(ref _observer, created, null) ?? created;
    }

    /// <param name="View">Null: the tenant does not exist.</param>
    private sealed record Entry(TenantView? View, long ValidUntil);
}
