using System.Collections.Immutable;
using BudgetActors.Domain;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Directory;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization;
using Orleans.Storage;

namespace BudgetActors.Grains;

/// <summary>
/// A tenant: settings, API keys and budget definitions — the source of truth for the tenant's
/// directory, which it hands to per-process caches under leases.
/// <para>
/// A change is made on a copy of the stored state and written before anything else sees it: if the
/// write fails, nothing changed anywhere. Once written it is answered as done, after no cache can
/// still serve the old directory (holders are told, or their leases waited out). Budget grains are
/// told of a definition change after the write; if that fails they learn it from the directory on
/// their next call (see <see cref="IBudgetGrain"/>).
/// </para>
/// Reentrant, so that reads of the directory (every process's cache refresh, and so auth and checks)
/// flow while a change waits for leases; changes themselves go one at a time.
/// </summary>
[Reentrant]
public sealed partial class TenantGrain(
    [PersistentState("tenant", StorageNames.Grains)] IPersistentState<TenantState> storage,
    TimeProvider clock,
    DeepCopier<TenantState> copier,
    IAuditLog audit,
    ILogger<TenantGrain> logger) : Grain, ITenantGrain, IRemindable
{
    internal const string OverrideExpiryReminder = "override-expiry";

    // Leases are real elapsed time, whatever clock the business logic runs on (see DirectoryLease).
    private static readonly TimeProvider LeaseClock = TimeProvider.System;
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(2);

    private readonly Dictionary<ITenantDirectoryObserver, DateTimeOffset> _leases = [];
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly SemaphoreSlim _writes = new(1, 1);
    private TenantDirectory? _directory;

    // The state as storage holds it: what the directory is served from, and what changes start from.
    private TenantState _stored = new();

    // Leases that earlier activations (before this grain moved or restarted) may have handed out to
    // holders this activation does not know: the first change waits them out.
    private DateTimeOffset? _inheritedLeasesUntil;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DropNullQueueWeights();
        _stored = storage.State;
        _inheritedLeasesUntil = _stored.LeasesOutstandingUntil;
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
        var info = await Change(state =>
        {
            if (state.Info is not null)
            {
                throw new BudgetActorsException(ProblemKind.Conflict, $"Tenant '{TenantId}' already exists.");
            }

            return state.Info = new TenantInfo(TenantId, name, currency, timeZone, clock.GetUtcNow());
        }, existing: false);
        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "created", name, currency, timezone = timeZone });
        return info;
    }

    public Task<TenantInfo?> GetInfo() => Task.FromResult(_stored.Info);

    public async Task<IssuedKey> IssueKey(ApiKeyRole role, string name)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TenantRules.ValidateKey(role, name));
        var issued = await Change(state =>
        {
            var keyId = ApiKeys.NewKeyId();
            var key = ApiKeys.Create(TenantId, keyId);
            state.Keys[keyId] = new ApiKeyRecord(keyId, name, role, ApiKeys.Hash(key), clock.GetUtcNow());
            return new IssuedKey(keyId, key, role, name); // caches hold the key list too: they learn the new key
        });
        await Audit(AuditEventTypes.KeyCreated, null, new { keyId = issued.Id, name, role });
        return issued;
    }

    public async Task<bool> RevokeKey(string keyId)
    {
        RequireTenant();
        if (!_stored.Keys.ContainsKey(keyId))
        {
            return false;
        }

        var revoked = await Change(state => state.Keys.Remove(keyId));
        logger.LogInformation("Key {KeyId} of tenant {Tenant} revoked", keyId, TenantId);
        await Audit(AuditEventTypes.KeyRevoked, null, new { keyId });
        return revoked;
    }

    public async Task<PutBudgetResult> PutBudget(BudgetDefinition definition)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(BudgetRules.Validate(definition));
        await RequireChannels(definition.Alerts);
        var result = await Change(state =>
        {
            var created = !state.Budgets.TryGetValue(definition.Id, out var existing);
            RequireNotOfTier(existing);
            // Approved overrides are the tenant's, not the body's: a new definition keeps them.
            definition = definition with { Raises = existing?.Raises ?? [] };
            state.Budgets[definition.Id] = definition;
            return new PutBudgetResult(created, definition);
        }, afterWrite: version => Budget(definition.Id).Define(definition, version));
        await Audit(result.Created ? AuditEventTypes.BudgetCreated : AuditEventTypes.BudgetUpdated, definition.Id, new { definition });
        return result;
    }

    public async Task<bool> DeleteBudget(string budgetId)
    {
        RequireTenant();
        if (!_stored.Budgets.TryGetValue(budgetId, out var existing))
        {
            return false;
        }

        RequireNotOfTier(existing);
        var deleted = await Change(state => state.Budgets.Remove(budgetId), afterWrite: version => Budget(budgetId).Retire(version));
        await Audit(AuditEventTypes.BudgetDeleted, budgetId, null);
        return deleted;
    }

    public Task<ImmutableArray<BudgetDefinition>> ListBudgets() =>
        Task.FromResult(_stored.Budgets.Values.OrderBy(b => b.Id, StringComparer.Ordinal).ToImmutableArray());

    public async Task<TenantPricing> SetModelPrice(string model, ModelPrice? price)
    {
        RequireTenant();
        var errors = new RequestErrors();
        RequestRules.Model(model, "model", errors);
        price = price is null ? null : price with { Model = model };
        if (price is not null)
        {
            TenantRules.ValidatePrice(price, errors);
        }

        BudgetActorsException.ThrowIfAny(errors);
        var pricing = await Change(state =>
        {
            var pricing = state.Pricing;
            return state.Pricing = pricing with { Models = price is null ? pricing.Models.Remove(model) : pricing.Models.SetItem(model, price) };
        });
        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "model-price", model, price });
        return pricing;
    }

    public async Task<TenantPricing> SetUnknownModelPrice(ModelPrice? price)
    {
        RequireTenant();
        price = price is null ? null : price with { Model = "*" };
        BudgetActorsException.ThrowIfAny(price is null ? new RequestErrors() : TenantRules.ValidatePrice(price));
        var pricing = await Change(state => state.Pricing = state.Pricing with { UnknownModels = price });
        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "unknown-model-price", price });
        return pricing;
    }

    public async Task<ExchangeRate> SetExchangeRate(decimal usd, DateOnly asOf)
    {
        RequireTenant();
        var info = _stored.Info!;
        BudgetActorsException.ThrowIfAny(ExchangeRateRules.Validate(info.Currency, usd, asOf));
        var rate = new ExchangeRate(info.Currency, usd, asOf);
        await Change(state => state.Pricing = state.Pricing with { ExchangeRate = rate });
        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "exchange-rate", currency = rate.Currency, usd, asOf });
        return rate;
    }

    public async Task<JobCostModel> SetCostModel(JobCostModel model)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(TenantRules.ValidateCostModel(model));
        var stored = await Change(state => state.CostModel = model);
        await Audit(AuditEventTypes.TenantUpdated, null, new { change = "cost-model", costModel = model });
        return stored;
    }

    public async Task<BudgetOverride> RequestOverride(string budgetId, Amount raise, string reason, int? durationMinutes)
    {
        RequireTenant();
        BudgetActorsException.ThrowIfAny(OverrideRules.ValidateRequest(raise, reason, durationMinutes));
        var budget = _stored.Budgets.GetValueOrDefault(budgetId) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
        if (durationMinutes is null && budget.Period.Type == PeriodType.Total)
        {
            throw BudgetActorsException.Invalid("durationMinutes", "Required for a budget of type total: it has no period end to last until.");
        }

        var requested = new BudgetOverride($"ovr-{Guid.NewGuid():N}"[..20], budgetId, OverrideState.Pending, raise, reason,
            AuditActor.Current, clock.GetUtcNow(), durationMinutes);
        await Change(state => state.Overrides[requested.Id] = requested);
        await Audit(AuditEventTypes.OverrideRequested, budgetId, Describe(requested));
        await AlertOverride(requested, "requested, waiting for approval");
        return requested;
    }

    public async Task<BudgetOverride> DecideOverride(string budgetId, string overrideId, bool approve)
    {
        RequireTenant();
        var now = clock.GetUtcNow();
        var pending = FindOverride(budgetId, overrideId);
        var decider = AuditActor.Current;
        if (pending.State != OverrideState.Pending)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, $"Override '{overrideId}' was already {pending.StateAt(now).ToString().ToLowerInvariant()}.");
        }

        if (decider == pending.RequestedBy)
        {
            throw new BudgetActorsException(ProblemKind.Forbidden, "A key cannot decide on an override it requested itself: another tenant-admin key must.");
        }

        BudgetOverride decided = null!;
        await Change(state =>
        {
            var current = state.Overrides.GetValueOrDefault(overrideId);
            if (current is not { State: OverrideState.Pending })
            {
                throw new BudgetActorsException(ProblemKind.Conflict, $"Override '{overrideId}' was decided meanwhile.");
            }

            if (!approve)
            {
                return state.Overrides[overrideId] = decided = current with { State = OverrideState.Rejected, DecidedBy = decider, DecidedAt = now };
            }

            var budget = state.Budgets.GetValueOrDefault(budgetId) ?? throw BudgetActorsException.BudgetNotFound(budgetId);
            var expiresAt = current.DurationMinutes is { } minutes
                ? now.AddMinutes(minutes)
                : PeriodCalendar.PeriodContaining(budget.Period, now, now).End ?? now; // a total budget always has a duration
            decided = current with { State = OverrideState.Approved, DecidedBy = decider, DecidedAt = now, ExpiresAt = expiresAt };
            state.Budgets[budgetId] = budget with { Raises = budget.Raises.Add(new LimitRaise(overrideId, current.Raise, expiresAt)) };
            return state.Overrides[overrideId] = decided;
        }, afterWrite: approve ? version => Budget(budgetId).Define(_stored.Budgets[budgetId], version) : null);

        await Audit(approve ? AuditEventTypes.OverrideApproved : AuditEventTypes.OverrideRejected, budgetId, Describe(decided));
        await AlertOverride(decided, approve ? $"approved until {decided.ExpiresAt:u}" : "rejected");
        if (approve)
        {
            await ScheduleOverrideExpiry();
        }

        return decided;
    }

    public Task<ImmutableArray<BudgetOverride>> ListOverrides(string budgetId, OverrideState? state)
    {
        RequireTenant();
        var now = clock.GetUtcNow();
        var all = _stored.Overrides.Values.Where(o => o.BudgetId == budgetId).ToList();
        if (all.Count == 0 && !_stored.Budgets.ContainsKey(budgetId))
        {
            throw BudgetActorsException.BudgetNotFound(budgetId); // a deleted budget still lists the overrides it had
        }

        return Task.FromResult(all
            .Select(o => o with { State = o.StateAt(now) })
            .Where(o => state is null || o.State == state)
            .OrderByDescending(o => o.RequestedAt).ThenByDescending(o => o.Id, StringComparer.Ordinal)
            .ToImmutableArray());
    }

    /// <summary>
    /// Files approved overrides whose time is up as expired and takes their raises out of the
    /// definitions. Admission never waits for this — a raise stops counting at its expiry by itself —
    /// but the directory, the list and the trail should say so.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OverrideExpiryReminder || _stored.Info is null)
        {
            return;
        }

        await ExpireOverrides();
        await ScheduleOverrideExpiry();
    }

    private async Task ExpireOverrides()
    {
        var now = clock.GetUtcNow();
        var due = _stored.Overrides.Values.Where(o => o.StateAt(now) == OverrideState.Expired && o.State == OverrideState.Approved).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var retired = due.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var budgets = due.Select(o => o.BudgetId).Distinct(StringComparer.Ordinal).ToList();
        await Change(state =>
        {
            foreach (var id in retired)
            {
                if (state.Overrides.TryGetValue(id, out var o))
                {
                    state.Overrides[id] = o with { State = OverrideState.Expired };
                }
            }

            foreach (var budgetId in budgets)
            {
                if (state.Budgets.TryGetValue(budgetId, out var budget))
                {
                    state.Budgets[budgetId] = budget with { Raises = budget.Raises.RemoveAll(r => retired.Contains(r.OverrideId)) };
                }
            }

            return 0;
        }, afterWrite: async version =>
        {
            foreach (var budgetId in budgets.Where(_stored.Budgets.ContainsKey))
            {
                await Budget(budgetId).Define(_stored.Budgets[budgetId], version);
            }
        });

        foreach (var o in due)
        {
            await Audit(AuditEventTypes.OverrideExpired, o.BudgetId, Describe(o with { State = OverrideState.Expired }));
        }
    }

    /// <summary>A reminder at the next expiry of an approved override (at least a minute away: reminders are coarse), or none.</summary>
    private async Task ScheduleOverrideExpiry()
    {
        var next = _stored.Overrides.Values.Where(o => o.State == OverrideState.Approved).Min(o => o.ExpiresAt);
        try
        {
            if (next is { } at)
            {
                var due = at - clock.GetUtcNow();
                await this.RegisterOrUpdateReminder(OverrideExpiryReminder, due < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : due, TimeSpan.FromMinutes(5));
            }
            else if (await this.GetReminder(OverrideExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception e)
        {
            // Limits go back at expiry without it; only the filing waits for the next decision or reminder.
            logger.LogWarning(e, "Tenant {Tenant} could not schedule the expiry of its overrides", TenantId);
        }
    }

    private BudgetOverride FindOverride(string budgetId, string overrideId) =>
        _stored.Overrides.GetValueOrDefault(overrideId) is { } found && found.BudgetId == budgetId
            ? found
            : throw BudgetActorsException.NotFound($"Override '{overrideId}' of budget '{budgetId}'");

    private static object Describe(BudgetOverride o) => new
    {
        overrideId = o.Id,
        state = o.State,
        raise = o.Raise,
        reason = o.Reason,
        requestedBy = o.RequestedBy,
        durationMinutes = o.DurationMinutes,
        expiresAt = o.ExpiresAt,
        decidedBy = o.DecidedBy,
    };

    public Task<SpendSummary> GetSummary()
    {
        RequireTenant();
        return SpendRollup.Summarize(GrainFactory, TenantId, null, _stored.Budgets.Values);
    }

    public async Task<TenantDirectory?> GetDirectory(ITenantDirectoryObserver? observer)
    {
        if (_stored.Info is not { } info)
        {
            // Nothing to lease: the cache keeps its "no such tenant" briefly (TenantDirectoryCache), and
            // an activation for an id that does not exist does not linger.
            DeactivateOnIdle();
            return null;
        }

        if (observer is not null)
        {
            var leaseEnd = LeaseClock.GetUtcNow() + DirectoryLease.Duration + LeaseMargin;
            _leases[observer] = leaseEnd;
            if (_stored.LeasesOutstandingUntil is not { } promised || promised < leaseEnd)
            {
                await PromiseLeasesUntil(leaseEnd + DirectoryLease.Duration);
            }
        }

        return _directory ??= new TenantDirectory(info,
            [.. _stored.Budgets.Values],
            [.. _stored.Keys.Values],
            _stored.Version,
            _stored.Pricing,
            _stored.CostModel,
            _stored.Tiers.ToDirectory(info.DefaultTier));
    }

    /// <summary>
    /// Persists that leases may run until <paramref name="until"/>, well ahead of the lease just
    /// handed out, so that this write happens about once a lease period.
    /// </summary>
    private async Task PromiseLeasesUntil(DateTimeOffset until)
    {
        var next = copier.Copy(_stored);
        next.LeasesOutstandingUntil = until;
        try
        {
            await Write(next);
        }
        catch (Exception e)
        {
            // Storage is down: keep serving the directory, or checks would stop with it. This
            // activation still knows its holders and tells them of any change; nothing can
            // change before storage is back, since every change is written first.
            logger.LogWarning(e, "Tenant {Tenant} leased its directory without persisting the lease", TenantId);
        }
    }

    /// <summary>
    /// One change: made on a copy of the stored state, written, then (the change now being a fact)
    /// <paramref name="afterWrite"/> tells the budget grain concerned, and no cache may serve the old
    /// directory any more when it answers. Only the write can fail it.
    /// </summary>
    private async Task<T> Change<T>(Func<TenantState, T> change, Func<long, Task>? afterWrite = null, bool existing = true)
    {
        await _changes.WaitAsync();
        try
        {
            if (existing)
            {
                RequireTenant(); // it may have changed while this change waited for the one before
            }

            var next = copier.Copy(_stored);
            var answer = change(next);
            next.Version++;
            await Write(next);

            if (afterWrite is not null)
            {
                try
                {
                    await afterWrite(next.Version);
                }
                catch (Exception e)
                {
                    // The budget learns it from the directory on its next call (or its next reminder).
                    logger.LogWarning(e, "Tenant {Tenant} could not tell a budget of its change (version {Version}); it catches up by itself", TenantId, next.Version);
                }
            }

            await Invalidate();
            return answer;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Writes a new state; the directory is served from it once stored, and the old one stays if the write fails.</summary>
    private async Task Write(TenantState next)
    {
        await _writes.WaitAsync();
        try
        {
            // A lease promise written since the change started must not be lost by it.
            if (_stored.LeasesOutstandingUntil is { } promised && (next.LeasesOutstandingUntil is not { } carried || carried < promised))
            {
                next.LeasesOutstandingUntil = promised;
            }

            storage.State = next;
            try
            {
                await storage.WriteStateAsync();
            }
            catch (Exception e)
            {
                storage.State = _stored;
                if (e is InconsistentStateException)
                {
                    DeactivateOnIdle(); // storage holds something else than this activation thinks
                }

                throw;
            }

            _stored = next;
            _directory = null;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Makes sure that no cache anywhere still serves the directory from before the last write.</summary>
    private async Task Invalidate()
    {
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
            else if (_leases.TryGetValue(holder, out var leaseEnd) && leaseEnd > waitUntil)
            {
                waitUntil = leaseEnd; // unreachable holder: its copy dies with its lease
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

    /// <summary>Every channel an alert policy names must exist (a 400 naming each that does not).</summary>
    private async Task RequireChannels(AlertPolicy? alerts)
    {
        if (alerts is null)
        {
            return;
        }

        var named = alerts.Channels.Select((id, i) => (Field: $"alerts.channels[{i}]", Id: id))
            .Concat((alerts.Escalation?.Channels ?? []).Select((id, i) => (Field: $"alerts.escalation.channels[{i}]", Id: id)))
            .ToList();
        if (named.Count == 0)
        {
            return;
        }

        var missing = (await GrainFactory.GetGrain<IAlertsGrain>(TenantId).MissingChannels([.. named.Select(n => n.Id).Distinct()])).ToHashSet();
        var errors = new RequestErrors();
        foreach (var (field, id) in named.Where(n => missing.Contains(n.Id)))
        {
            errors.Add(field, $"No channel '{id}': create it first (PUT /v1/tenants/{TenantId}/channels/{id}).");
        }

        BudgetActorsException.ThrowIfAny(errors);
    }

    /// <summary>Overrides are alerted to the budget's channels (a pending one so that someone approves it).</summary>
    private async Task AlertOverride(BudgetOverride o, string what)
    {
        try
        {
            var status = await Budget(o.BudgetId).GetStatus();
            var cost = status?.Cost;
            var message = $"{o.BudgetId}: override {o.Id} {what} — raise {Describe(o.Raise)}, reason: {o.Reason}";
            await GrainFactory.GetGrain<IAlertsGrain>(TenantId).Raise(new AlertTrigger($"{o.BudgetId}|override|{o.Id}|{o.State}", o.BudgetId,
                BudgetActors.Alerts.AlertEventType.Override, null, cost?.Utilization ?? 0m, status?.State ?? BudgetState.Ok, "cost",
                cost?.Spent ?? 0m, cost?.Limit, status?.PeriodEnd, message, clock.GetUtcNow()));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Tenant {Tenant}: the alert of override {Override} could not be raised", TenantId, o.Id);
        }

        static string Describe(Amount raise) => string.Join(", ", new[]
        {
            raise.Cost > 0 ? $"cost +{raise.Cost}" : null,
            raise.Tokens > 0 ? $"tokens +{raise.Tokens}" : null,
            raise.Operations > 0 ? $"operations +{raise.Operations}" : null,
        }.OfType<string>());
    }

    /// <summary>A change made it into the trail, by whoever made it (<see cref="AuditActor"/>), once stored.</summary>
    private Task Audit(string type, string? budgetId, object? details) =>
        audit.RecordEvent(logger, TenantId, type, clock.GetUtcNow(), budgetId, details);

    /// <summary>A tier's budget follows its tier (TenantGrain.Tiers.cs): changed by hand, it would no longer.</summary>
    private static void RequireNotOfTier(BudgetDefinition? existing)
    {
        if (existing?.Tier is { } tier)
        {
            throw new BudgetActorsException(ProblemKind.Conflict,
                $"Budget '{existing.Id}' belongs to tier '{tier}': change the tier, or the subject's tier, instead.");
        }
    }

    private void RequireTenant()
    {
        if (_stored.Info is null)
        {
            throw BudgetActorsException.TenantNotFound(TenantId);
        }
    }

    private IBudgetGrain Budget(string budgetId) => GrainFactory.Get<IBudgetGrain>(BudgetKey.Of(TenantId, budgetId));
}
