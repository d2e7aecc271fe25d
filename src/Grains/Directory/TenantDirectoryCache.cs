using System.Collections.Concurrent;
using System.Diagnostics;

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

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _invalidations = new(StringComparer.Ordinal);
    private readonly Lock _observerLock = new();
    private ITenantDirectoryObserver? _observer;

    /// <summary>The tenant's directory, or null when the tenant does not exist.</summary>
    public ValueTask<TenantView?> GetAsync(string tenantId)
    {
        if (_entries.TryGetValue(tenantId, out var entry) && Stopwatch.GetTimestamp() < entry.ValidUntil)
        {
            return ValueTask.FromResult<TenantView?>(entry.View);
        }

        return new ValueTask<TenantView?>(FetchAsync(tenantId));
    }

    public Task Invalidate(string tenantId)
    {
        _invalidations.AddOrUpdate(tenantId, 1, static (_, n) => n + 1);
        _entries.TryRemove(tenantId, out _);
        return Task.CompletedTask;
    }

    private async Task<TenantView?> FetchAsync(string tenantId)
    {
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var observer = await GetObserverAsync();
        while (true)
        {
            var invalidations = _invalidations.GetValueOrDefault(tenantId);
            var askedAt = Stopwatch.GetTimestamp();
            var directory = await tenant.GetDirectory(observer);
            if (directory is null)
            {
                return null; // unknown tenants are not cached: creating one needs no invalidation
            }

            var entry = new Entry(new TenantView(directory), askedAt + LeaseTicks);
            _entries[tenantId] = entry;

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

    /// <summary>
    /// This cache as a grain observer, created on first use (the Orleans runtime must be up by then).
    /// Orleans refuses to create an object reference inside a grain call, and on a silo the first use
    /// comes from a grain (admission, reservation, usage): the reference is made on the thread pool,
    /// outside any grain context.
    /// </summary>
    private ValueTask<ITenantDirectoryObserver> GetObserverAsync()
    {
        if (_observer is { } existing)
        {
            return ValueTask.FromResult(existing);
        }

        return new ValueTask<ITenantDirectoryObserver>(Task.Run(() =>
        {
            lock (_observerLock)
            {
                return _observer ??= grains.CreateObjectReference<ITenantDirectoryObserver>(this);
            }
        }));
    }

    private sealed record Entry(TenantView View, long ValidUntil);
}
