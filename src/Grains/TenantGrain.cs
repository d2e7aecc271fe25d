using System.Collections.Immutable;
using BudgetActors.Grains.Directory;
using BudgetActors.Domain;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace BudgetActors.Grains;

/// <summary>
/// A tenant: settings, API keys and budget definitions. It hands its directory to per-process caches
/// under leases and answers a change only once no cache can still serve the old directory.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Grains)] IPersistentState<TenantState> storage,
    TimeProvider clock,
    DeepCopier<TenantState> copier,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain
{
    // Leases are real elapsed time, whatever clock the business logic runs on (see DirectoryLease).
    private static readonly TimeProvider LeaseClock = TimeProvider.System;
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(2);

    private readonly Dictionary<ITenantDirectoryObserver, DateTimeOffset> _leases = [];
    private TenantDirectory? _directory;

    // Leases that earlier activations (before this grain moved or restarted) may have handed out to
    // holders this activation does not know: the first change waits them out.
    private DateTimeOffset? _inheritedLeasesUntil;

    // The state as storage holds it: what a change whose write failed is undone to.
    private TenantState _stored = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _inheritedLeasesUntil = storage.State.LeasesOutstandingUntil;
        DropNullQueueWeights();
        _stored = copier.Copy(storage.State);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Before issue 7 a cost model could be stored with a queue whose weights were null, and every job
    /// of that queue failed. Read back, such a queue is dropped, so that it prices by the default as a
    /// queue without weights of its own does; storage keeps the null until the tenant's next change.
    /// </summary>
    private void DropNullQueueWeights()
    {
        var model = storage.State.CostModel;
        var missing = model.Queues.Where(q => q.Value is null).Select(q => q.Key).ToList();
        if (missing.Count > 0)
        {
            storage.State.CostModel = model with { Queues = model.Queues.RemoveRange(missing) };
            logger.LogWarning("Tenant {Tenant}: the stored cost model had queues without weights ({Queues}); they price by the default",
                TenantId, string.Join(", ", missing));
        }
    }

    private string TenantId => this.GetPrimaryKeyString();

    public async Task<TenantInfo> Create(string name, string currency, string timeZone)
    {
        BudgetActorsException.ThrowIfAny(TenantRules.ValidateTenant(TenantId, name, currency, timeZone));
        if (storage.State.Info is not null)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, $"Tenant '{TenantId}' already exists.");
        }

        storage.State.Info = new TenantInfo(TenantId, name, currency, timeZone, clock.GetUtcNow());
        await Save();
        return storage.State.Info;
    }

    public Task<TenantInfo?> GetInfo() => Task.FromResult(storage.State.Info);

    public async Task<IssuedKey> IssueKey(ApiKeyRole role, string name)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TenantRules.ValidateKey(role, name));
        var keyId = ApiKeys.NewKeyId();
        var key = ApiKeys.Create(TenantId, keyId);
        storage.State.Keys[keyId] = new ApiKeyRecord(keyId, name, role, ApiKeys.Hash(key), clock.GetUtcNow());
        await SaveAndInvalidate(); // caches hold the key list too: they must learn the new key
        return new IssuedKey(keyId, key, role, name);
    }

    public async Task<bool> RevokeKey(string keyId)
    {
        RequireTenant();
        if (!storage.State.Keys.Remove(keyId))
        {
            return false;
        }

        await SaveAndInvalidate();
        logger.LogInformation("Key {KeyId} of tenant {Tenant} revoked", keyId, TenantId);
        return true;
    }

    public async Task<PutBudgetResult> PutBudget(BudgetDefinition definition)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(BudgetRules.Validate(definition));
        var created = !storage.State.Budgets.ContainsKey(definition.Id);

        // The budget grain learns its definition before any cache can route usage to it.
        await GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(TenantId, definition.Id)).Define(definition);
        storage.State.Budgets[definition.Id] = definition;
        await SaveAndInvalidate();
        return new PutBudgetResult(created, definition);
    }

    public async Task<bool> DeleteBudget(string budgetId)
    {
        RequireTenant();
        if (!storage.State.Budgets.Remove(budgetId))
        {
            return false;
        }

        // Caches stop routing to the budget first; only then does it retire.
        await SaveAndInvalidate();
        await GrainFactory.GetGrain<IBudgetGrain>(BudgetKey.Of(TenantId, budgetId)).Retire();
        return true;
    }

    public Task<ImmutableArray<BudgetDefinition>> ListBudgets() =>
        Task.FromResult(storage.State.Budgets.Values.OrderBy(b => b.Id, StringComparer.Ordinal).ToImmutableArray());

    public async Task<TenantPricing> SetModelPrice(string model, ModelPrice? price)
    {
        RequireTenant();
        var errors = new RequestErrors();
        RequestRules.Model(model, "model", errors);
        if (price is not null)
        {
            TenantRules.ValidatePrice(price with { Model = model }, errors);
        }

        BudgetActorsException.ThrowIfAny(errors);
        price = price is null ? null : price with { Model = model };
        var pricing = storage.State.Pricing;
        storage.State.Pricing = pricing with { Models = price is null ? pricing.Models.Remove(model) : pricing.Models.SetItem(model, price) };
        await SaveAndInvalidate();
        return storage.State.Pricing;
    }

    public async Task<TenantPricing> SetUnknownModelPrice(ModelPrice? price)
    {
        RequireTenant();
        price = price is null ? null : price with { Model = "*" };
        BudgetActorsException.ThrowIfAny(price is null ? new RequestErrors() : TenantRules.ValidatePrice(price));
        storage.State.Pricing = storage.State.Pricing with { UnknownModels = price };
        await SaveAndInvalidate();
        return storage.State.Pricing;
    }

    public async Task<JobCostModel> SetCostModel(JobCostModel model)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TenantRules.ValidateCostModel(model));
        storage.State.CostModel = model;
        await SaveAndInvalidate();
        return model;
    }

    public Task<SpendSummary> GetSummary()
    {
        RequireTenant();
        return SpendRollup.Summarize(GrainFactory, TenantId, null, storage.State.Budgets.Values);
    }

    public async Task<TenantDirectory?> GetDirectory(ITenantDirectoryObserver? observer)
    {
        if (storage.State.Info is not { } info)
        {
            return null;
        }

        if (observer is not null)
        {
            var leaseEnd = LeaseClock.GetUtcNow() + DirectoryLease.Duration + LeaseMargin;
            _leases[observer] = leaseEnd;
            if (storage.State.LeasesOutstandingUntil is not { } promised || promised < leaseEnd)
            {
                // Persist a promise well ahead, so that this write happens about once a lease period.
                storage.State.LeasesOutstandingUntil = leaseEnd + DirectoryLease.Duration;
                try
                {
                    await storage.WriteStateAsync();
                    _stored = copier.Copy(storage.State);
                }
                catch (Exception e)
                {
                    // Storage is down: keep serving the directory, or checks would stop with it. This
                    // activation still knows its holders and tells them of any change; nothing can
                    // change before storage is back, since every change is written first.
                    storage.State.LeasesOutstandingUntil = null;
                    logger.LogWarning(e, "Tenant {Tenant} leased its directory without persisting the lease", TenantId);
                }
            }
        }

        return _directory ??= new TenantDirectory(info,
            [.. storage.State.Budgets.Values],
            [.. storage.State.Keys.Values],
            storage.State.Version,
            storage.State.Pricing,
            storage.State.CostModel);
    }

    private void RequireTenant()
    {
        if (storage.State.Info is null)
        {
            throw BudgetActorsException.TenantNotFound(TenantId);
        }
    }

    private async Task Save()
    {
        storage.State.Version++;
        _directory = null;
        try
        {
            await storage.WriteStateAsync();
        }
        catch (Exception e)
        {
            // The caller is told that nothing changed (storage down: 503), so nothing changes here
            // either: the change is undone in memory, or this activation would serve it and a later
            // write would store it. The activation stays, so that it keeps leasing its directory.
            storage.State = copier.Copy(_stored);
            if (e is InconsistentStateException)
            {
                DeactivateOnIdle(); // storage holds something else than this activation thinks
            }

            throw;
        }

        _stored = copier.Copy(storage.State);
    }

    /// <summary>Saves a change, then makes sure that no cache anywhere still serves the old directory.</summary>
    private async Task SaveAndInvalidate()
    {
        await Save();

        var now = LeaseClock.GetUtcNow();
        var waitUntil = now;
        var notifications = new List<Task<(ITenantDirectoryObserver Holder, bool Dropped)>>();
        foreach (var (holder, leaseEnd) in _leases)
        {
            if (leaseEnd > now)
            {
                notifications.Add(Notify(holder));
            }
        }

        foreach (var (holder, dropped) in await Task.WhenAll(notifications))
        {
            if (dropped)
            {
                _leases.Remove(holder);
            }
            else if (_leases[holder] > waitUntil)
            {
                waitUntil = _leases[holder]; // unreachable holder: its copy dies with its lease
            }
        }

        if (_inheritedLeasesUntil is { } inherited && inherited > waitUntil)
        {
            waitUntil = inherited;
        }

        if (waitUntil > now)
        {
            logger.LogWarning("Tenant {Tenant} waits {Wait} for directory leases to run out", TenantId, waitUntil - now);
            await Task.Delay(waitUntil - now, LeaseClock);
        }

        _inheritedLeasesUntil = null;
    }

    private async Task<(ITenantDirectoryObserver, bool)> Notify(ITenantDirectoryObserver holder)
    {
        try
        {
            await holder.Invalidate(TenantId).WaitAsync(DirectoryLease.NotifyTimeout, LeaseClock);
            return (holder, true);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A cache of tenant {Tenant} did not drop its directory", TenantId);
            return (holder, false);
        }
    }
}
