using System.Collections.Immutable;
using System.Diagnostics;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Core;
using Orleans.Storage;

namespace BudgetActors.Grains;

/// <summary>
/// One budget: the single authority on its admission decisions. Spend and holds live in memory
/// (<see cref="BudgetAccount"/>) and every decision is made from there. The ledger is the durable
/// truth: coordinators deliver each entry here once it is written, and the grain reads the ledger
/// after its watermark to catch up with any it missed — at activation (snapshot + replay) and before
/// each snapshot, which is written a few seconds after changes and at deactivation, never on the
/// check path.
/// <para>
/// Holds are tentative until their reservation's entry is written. Before its first tentative hold
/// an activation writes a fence to the ledger; its sequence is the activation's epoch, carried by
/// every hold entry, and a hold taken by an earlier activation (whose tentative hold died with it)
/// and written after the fence is not honoured. A tentative hold whose lease runs out is settled
/// through the ledger too: the budget writes a refusal under the hold's key, and whichever of the
/// two is stored wins. So a hold is never lost, never counted twice, and never comes back after its
/// room was given away.
/// </para>
/// <para>
/// Definitions come from the tenant's directory, which is the source of truth: the tenant pushes a
/// change here once it stored it, and a budget called with a newer directory version than it knows
/// brings its definition up to date from the directory itself.
/// </para>
/// Reentrant so that a hold that waits for tentative holds to settle does not stall the budget;
/// every handler mutates the account synchronously, so interleaving happens only at awaits.
/// </summary>
[Reentrant]
public sealed class BudgetGrain(
    ISpendLedger ledger,
    TenantDirectoryCache directory,
    BudgetBoard board,
    TimeProvider clock,
    ILogger<BudgetGrain> logger) : Grain, IBudgetGrain, IRemindable
{
    internal const string RolloverReminder = "period-rollover";

    /// <summary>The name of the budget's record in grain storage (what <c>[PersistentState("budget")]</c> named it before).</summary>
    internal const string StateName = "budget";

    /// <summary>How long a tentative hold may wait for its reservation's ledger entry before the budget settles it.</summary>
    internal static readonly TimeSpan TentativeLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a hold waits for tentative holds to settle before it is refused.</summary>
    private static readonly TimeSpan MaxTentativeWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SnapshotDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExpiryScanPeriod = TimeSpan.FromSeconds(1);

    // A silo keeps a million of these activations: every field costs megabytes, so what only a
    // budget that takes holds needs lives in Holding, allocated at its first hold, and the snapshot
    // object, a save in progress and timers are kept only while they are needed.
    private StateStorageBridge<BudgetSnapshot?>? _storage;
    private BudgetAccount? _account;
    private Holding? _holding;
    private bool _dirty;
    private Task? _saving;
    private IGrainTimer? _snapshotTimer;
    private IGrainTimer? _rolloverTimer;
    private BudgetBoard.Slot? _slot;

    // The directory versions this activation's definition is known to be current with: the version
    // of the last definition (or retirement) it applied, and the newest version it has compared with.
    private long _definedVersion;
    private long _knownVersion;

    // The UTC ticks of the period end the rollover reminder was registered for (0: none known). With
    // _definedVersion and the account it is what a live budget stores: its stored record
    // (BudgetSnapshot) is made for each write and not kept, so a live budget holds its account once.
    // A budget that is not live (retired, or never defined) keeps its record in Storage.State.
    private long _rolloverDue;

    private string? _tenantId;
    private string? _budgetId;

    /// <summary>
    /// The budget's grain storage record, through Orleans' own storage bridge (its reads and writes,
    /// errors and metrics are those of <c>[PersistentState]</c>), but not as a facet of the activation:
    /// a persistent-state facet joins the activation's lifecycle and migration, which gives every
    /// activation a lifecycle object with its observer lists (about 300 bytes). The grain reads the
    /// record itself, first thing at activation; an activation that moved reads it again rather than
    /// carrying it, as it carries none of the rest of the account either.
    /// </summary>
    private StateStorageBridge<BudgetSnapshot?> Storage => _storage ??=
        new(StateName, GrainContext, ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));

    private string TenantId => _tenantId ?? SplitKey().TenantId;

    private string BudgetId => _budgetId ?? SplitKey().Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Storage.ReadStateAsync();
        var stored = Storage.State;
        _definedVersion = _knownVersion = stored?.DefinitionVersion ?? 0;
        if (stored is { Retired: false, Account: { } snapshot })
        {
            _account = BudgetAccount.Restore(snapshot, clock.GetUtcNow());
            _rolloverDue = stored.RolloverDue?.UtcTicks ?? 0;
            Storage.State = null; // the account is the state now; a save writes a new record of it
            await CatchUp(cancellationToken);
            Advance();
            await ScheduleRollover();
            ScheduleExpiry();
            Publish();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_slot is { } slot)
        {
            board.Leave(TenantId, BudgetId, slot); // checks in this process ask whichever activation comes next
        }

        return _dirty ? SaveQuietly() : Task.CompletedTask;
    }

    public async Task<BudgetStatus?> Define(BudgetDefinition definition, long version)
    {
        if (version >= _definedVersion)
        {
            await ApplyDefinition(definition, version);
        }

        return _account?.Status(); // null: retired by a newer version of the directory
    }

    public async Task Retire(long version)
    {
        if (version >= _definedVersion)
        {
            await ApplyRetirement(version);
        }
    }

    public async Task<BudgetVerdict?> Check(Amount amount, int priority, long directoryVersion)
    {
        await SyncDefinition(directoryVersion);
        return Advance() ? _account!.Evaluate(amount, priority) : null;
    }

    public async Task<HoldOutcome?> Hold(HoldRequest request, long directoryVersion)
    {
        await SyncDefinition(directoryVersion);
        if (_account is null)
        {
            return null;
        }

        var epoch = await Epoch();

        // Waiting is bounded in real time, not business time: a fake clock in tests must not stall it.
        var waitUntil = Stopwatch.GetTimestamp() + (long)(MaxTentativeWait.TotalSeconds * Stopwatch.Frequency);
        while (Advance())
        {
            var (decision, verdict) = _account!.TryHold(request, clock.GetUtcNow() + TentativeLease);
            if (decision == HoldDecision.Granted)
            {
                ScheduleExpiry();
                return new HoldOutcome(true, verdict, epoch);
            }

            var remaining = waitUntil - Stopwatch.GetTimestamp();
            if (decision == HoldDecision.Refused || remaining <= 0)
            {
                return new HoldOutcome(false, verdict, epoch);
            }

            // Refused only because of holds that may yet be undone: wait for one to settle, then decide again.
            try
            {
                var holding = _holding ??= new Holding();
                await (holding.Settled ??= NewSignal()).Task.WaitAsync(Stopwatch.GetElapsedTime(0, remaining));
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Hold {Reservation} on {Budget} waited too long for tentative holds", request.ReservationId, this.GetPrimaryKeyString());
            }
        }

        return null;
    }

    public Task Undo(string reservationId)
    {
        if (_account is not null && _account.Undo(reservationId))
        {
            Signal();
        }

        return Task.CompletedTask;
    }

    public async Task<ApplyResult?> Apply(SpendEvent spend)
    {
        if (spend.Kind == LedgerEntryKind.Hold && _holding?.Fencing is { IsCompleted: false } fencing)
        {
            // Whether this hold is honoured depends on where this activation's fence lands.
            await fencing.ContinueWith(static _ => { }, TaskScheduler.Current);
        }

        if (!Advance())
        {
            return null;
        }

        var pending = _account!.Tentative.Count;
        var outcome = _account.Apply(spend);
        if (outcome != ApplyOutcome.AlreadyApplied || _account.Tentative.Count != pending)
        {
            Changed();
            ScheduleExpiry();
            Signal();
            Publish();
        }

        return new ApplyResult(_account.Status(), outcome != ApplyOutcome.HoldNotHonoured);
    }

    public Task<BudgetStatus?> GetStatus() =>
        Task.FromResult(Advance() ? _account!.Status() : null);

    public Task<ImmutableArray<PeriodRecord>> GetHistory()
    {
        Advance();
        var history = _account?.History ?? Storage.State?.Account?.History ?? [];
        return Task.FromResult(history.ToImmutableArray());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RolloverReminder)
        {
            return;
        }

        // Nothing else may call a budget that its tenant deleted: the reminder is where it learns that
        // a retirement pushed to it was lost.
        await SyncDefinition(long.MaxValue);
        if (_account is null)
        {
            if (await this.GetReminder(RolloverReminder) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        Advance();

        // Registered again even for the period end it was registered for: a tick that came before the
        // period ended (a reminder period that is not the next period's length, a table edited by hand)
        // must not leave the reminder ticking out of step with the periods.
        await ScheduleRollover(force: true);
    }

    /// <summary>
    /// Brings the definition up to date with the tenant's directory when a caller routed with a newer
    /// version than this activation knows. The directory comes from this silo's cache, which the tenant
    /// grain invalidates before a change answers.
    /// </summary>
    private async Task SyncDefinition(long directoryVersion)
    {
        if (directoryVersion <= _knownVersion)
        {
            return;
        }

        if (await directory.GetAsync(TenantId) is not { } view)
        {
            return;
        }

        var version = view.Directory.Version;
        if (version > _definedVersion)
        {
            if (view.FindBudget(BudgetId) is { } definition)
            {
                if (_account is null || !definition.SameAs(_account.Definition))
                {
                    await ApplyDefinition(definition, version);
                }
            }
            else if (_account is not null)
            {
                await ApplyRetirement(version);
            }
        }

        _knownVersion = Math.Max(_knownVersion, version);
        Publish();
    }

    private async Task ApplyDefinition(BudgetDefinition definition, long version)
    {
        var now = clock.GetUtcNow();
        if (_account is null)
        {
            _account = Storage.State?.Account is { } previous
                ? BudgetAccount.Reincarnate(definition, previous.History, await LedgerPosition(previous.Watermark), previous.Epoch, now)
                : new BudgetAccount(ShareId(definition), now, now);
            Storage.State = null; // kept while retired, for the history and the watermark; the account has them now
            if (_holding is { } holding)
            {
                holding.Epoch = null; // a new incarnation takes holds in an epoch of its own
                holding.Fencing = null;
            }
        }
        else
        {
            Advance();
            _account.Redefine(ShareId(definition), now);
        }

        _definedVersion = _knownVersion = Math.Max(_knownVersion, version);

        // The tenant's directory already holds this definition: it applies now, and the snapshot is
        // only this grain's copy of it. If it cannot be written, it is written later, or the next
        // activation takes the definition from the directory again. The reminder comes first so that
        // the snapshot records the period end it was registered for.
        _dirty = true;
        Publish();
        await ScheduleRolloverQuietly();
        await SaveQuietly();
        Signal(); // new limits may let waiting holds through
    }

    private async Task ApplyRetirement(long version)
    {
        _definedVersion = _knownVersion = Math.Max(_knownVersion, version);
        if (_account is null)
        {
            if (Storage.State is { } stored)
            {
                stored.DefinitionVersion = _definedVersion;
            }

            return;
        }

        try
        {
            await CatchUp();
        }
        catch (LedgerUnavailableException e)
        {
            logger.LogWarning(e, "Budget {Budget} retires without catching up: the ledger is unavailable", this.GetPrimaryKeyString());
        }

        Advance();
        _account.CloseAt(clock.GetUtcNow()); // the spend so far stays in the history
        // Kept: a retired budget's history is read from it, and a definition that brings it back starts from it.
        Storage.State = new BudgetSnapshot { Account = _account.Snapshot(), Retired = true, DefinitionVersion = _definedVersion };
        _rolloverDue = 0;
        _account = null;
        Publish();
        _dirty = true;
        await SaveQuietly();
        if (await this.GetReminder(RolloverReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        Signal();
        DeactivateOnIdle();
    }

    /// <summary>
    /// Where the ledger stands for this budget id: a budget defined again after a delete starts there,
    /// so that entries written for the deleted one (commits of its reservations) do not count in it.
    /// </summary>
    private async Task<long> LedgerPosition(long watermark)
    {
        try
        {
            var records = await ledger.ReadForBudgetAsync(TenantId, BudgetId, watermark);
            return records.Count == 0 ? watermark : records[^1].Sequence;
        }
        catch (LedgerUnavailableException e)
        {
            logger.LogWarning(e, "Budget {Budget} is defined again without reading the ledger: it is unavailable", this.GetPrimaryKeyString());
            return watermark;
        }
    }

    /// <summary>
    /// This activation's epoch: before its first tentative hold it writes a fence to the ledger and
    /// reads the ledger up to it, so that every hold written before the fence is reflected and every
    /// hold of an earlier activation written after it is known not to be honoured.
    /// </summary>
    private async Task<long> Epoch()
    {
        var holding = _holding ??= new Holding();
        if (holding.Epoch is { } epoch)
        {
            return epoch;
        }

        var fencing = holding.Fencing ??= Fence(holding);
        try
        {
            return await fencing;
        }
        catch
        {
            if (holding.Fencing == fencing)
            {
                holding.Fencing = null; // the next hold tries again, with the same key: a fence that did land is found
            }

            throw;
        }
    }

    private async Task<long> Fence(Holding holding)
    {
        var appended = await ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Fence(BudgetId, holding.Activation), LedgerEntryKind.Fence, null,
            [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), Amount.Zero, null, "", clock.GetUtcNow(), null));
        await CatchUp();
        var fence = appended.Record.Sequence;
        if (_account is { } account && account.Epoch > fence)
        {
            // Another activation of this budget fenced after this one: it is the budget now.
            logger.LogError("Budget {Budget} has a newer activation (epoch {Theirs} after {Ours}); this one steps down", this.GetPrimaryKeyString(), account.Epoch, fence);
            DeactivateOnIdle();
            throw new InvalidOperationException($"Budget {this.GetPrimaryKeyString()} was activated again elsewhere; retry.");
        }

        holding.Epoch = fence;
        return fence;
    }

    /// <summary>Rolls the period over and drops expired holds; false when the budget is not defined.</summary>
    private bool Advance()
    {
        if (_account is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var periodStart = _account.Period.Start;
        var holds = _account.Holds.Count;
        if (_account.Advance(now))
        {
            Changed();
            Publish();
            if (_account.Holds.Count != holds)
            {
                Signal();
            }

            if (_account.Period.Start != periodStart)
            {
                logger.LogInformation("Budget {Budget} rolled over to the period from {Start}", this.GetPrimaryKeyString(), _account.Period.Start);
                _rolloverTimer ??= this.RegisterGrainTimer(async () =>
                {
                    _rolloverTimer?.Dispose();
                    _rolloverTimer = null;
                    await ScheduleRolloverQuietly();
                }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
            }
        }

        return true;
    }

    /// <summary>
    /// A tentative hold's lease ran out before its reservation wrote it (a slow ledger, a coordinator
    /// that died). Its room cannot be given away before the budget knows the hold will never be
    /// written: it stores a refusal under the hold's key. If the hold was stored first, the append
    /// returns it and the hold becomes firm; otherwise the refusal stands and the hold goes.
    /// </summary>
    private async Task SettleLapsed(string reservationId)
    {
        try
        {
            var appended = await ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Hold(reservationId), LedgerEntryKind.Refusal, reservationId,
                [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), Amount.Zero, null, "lapsed",
                clock.GetUtcNow(), null));
            if (_account is null)
            {
                return;
            }

            var stored = appended.Record;
            if (stored.Entry.BudgetIds.Contains(BudgetId))
            {
                await Apply(stored.ToSpendEvent(BudgetId));
            }
            else if (_account.Undo(reservationId))
            {
                Signal(); // the reservation was written without this budget
            }
        }
        catch (Exception e)
        {
            // Kept, and tried again at the next sweep: the room stays held until the ledger answers.
            logger.LogWarning(e, "Budget {Budget} could not settle the lapsed hold of {Reservation}", this.GetPrimaryKeyString(), reservationId);
        }
        finally
        {
            _holding?.Settling.Remove(reservationId);
        }
    }

    /// <summary>Applies the ledger entries after the watermark that this activation has not seen, and moves the watermark.</summary>
    private async Task CatchUp(CancellationToken cancellationToken = default)
    {
        if (_account is null)
        {
            return;
        }

        var records = await ledger.ReadForBudgetAsync(TenantId, BudgetId, _account.Watermark, cancellationToken);
        if (_account is null || records.Count == 0)
        {
            return;
        }

        var missed = 0;
        foreach (var record in records)
        {
            missed += _account.Apply(record.ToSpendEvent(BudgetId)) == ApplyOutcome.AlreadyApplied ? 0 : 1;
        }

        _account.AdvanceWatermark(records[^1].Sequence);
        _dirty = true;
        Publish();
        if (missed > 0)
        {
            logger.LogInformation("Budget {Budget} caught up with {Count} ledger entries", this.GetPrimaryKeyString(), missed);
            ScheduleExpiry();
            Signal();
        }
    }

    /// <summary>
    /// The reminder that closes the period when it ends, even if nothing calls the budget then. It is
    /// registered once per period: the snapshot remembers the period end it was registered for, and an
    /// activation or a definition that finds it registered for the current end leaves it (each
    /// registration is a write to the reminder table, and the silo's reminder service keeps a record
    /// of every registration until its next refresh of the table).
    /// </summary>
    private async Task ScheduleRollover(bool force = false)
    {
        if (_account?.Period.End is not { } end || (!force && _rolloverDue == end.UtcTicks))
        {
            return;
        }

        var due = end - clock.GetUtcNow();
        var period = end - _account.Period.Start;
        await this.RegisterOrUpdateReminder(RolloverReminder,
            due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due,
            period < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : period);
        if (_account is not null && _rolloverDue != end.UtcTicks)
        {
            // Written with the next snapshot (at the latest when the activation ends); until then an
            // activation registers it again.
            _rolloverDue = end.UtcTicks;
            _dirty = true;
        }
    }

    /// <summary>A reminder service that cannot be reached must not fail a definition or a check: the next rollover or activation registers it.</summary>
    private async Task ScheduleRolloverQuietly()
    {
        try
        {
            await ScheduleRollover();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Budget {Budget} could not register its rollover reminder; it rolls over lazily until it can", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Holds free themselves when they expire, and lapsed tentative holds are settled: a timer sweeps while there are any.</summary>
    private void ScheduleExpiry()
    {
        if (_account is { } account && (account.Holds.Count > 0 || account.Tentative.Count > 0))
        {
            var holding = _holding ??= new Holding();
            holding.ExpiryTimer ??= this.RegisterGrainTimer(async () =>
            {
                if (Advance())
                {
                    await Task.WhenAll(_account!.Lapsed(clock.GetUtcNow()).Where(holding.Settling.Add).Select(SettleLapsed));
                }

                if (_account is not { } current || (current.Holds.Count == 0 && current.Tentative.Count == 0))
                {
                    holding.ExpiryTimer?.Dispose();
                    holding.ExpiryTimer = null;
                }
            }, new GrainTimerCreationOptions(ExpiryScanPeriod, ExpiryScanPeriod) { Interleave = true });
        }
    }

    private void Changed()
    {
        _dirty = true;
        _snapshotTimer ??= this.RegisterGrainTimer(async () =>
        {
            _snapshotTimer?.Dispose();
            _snapshotTimer = null;
            if (_dirty)
            {
                await SaveQuietly();
            }
        }, new GrainTimerCreationOptions(SnapshotDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    /// <summary>Writes the snapshot; a failure is logged and the snapshot written again after the next change.</summary>
    private async Task SaveQuietly()
    {
        try
        {
            await Save();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Budget {Budget} could not write its snapshot; it is exact without it and is written again later", this.GetPrimaryKeyString());
        }
    }

    /// <summary>Catches up with the ledger and writes the snapshot; one save at a time.</summary>
    private async Task Save()
    {
        while (_saving is { IsCompleted: false } running)
        {
            await running.ContinueWith(static _ => { }, TaskScheduler.Current); // its failure is its caller's
        }

        var saving = SaveOnce();
        _saving = saving;
        try
        {
            await saving;
        }
        finally
        {
            if (_saving == saving)
            {
                _saving = null; // a finished save keeps its state machine alive as long as it is referenced
            }
        }

        async Task SaveOnce()
        {
            try
            {
                await CatchUp();
            }
            catch (LedgerUnavailableException e)
            {
                // The snapshot is exact without it: it names the entries it reflects.
                logger.LogWarning(e, "Budget {Budget} snapshots without catching up: the ledger is unavailable", this.GetPrimaryKeyString());
            }

            _dirty = false;
            BudgetSnapshot? written = null;
            if (_account is { } account)
            {
                Storage.State = written = new BudgetSnapshot
                {
                    Account = account.Snapshot(),
                    DefinitionVersion = _definedVersion,
                    RolloverDue = _rolloverDue == 0 ? null : new DateTimeOffset(_rolloverDue, TimeSpan.Zero),
                };
                account.Trim();
            }
            else if (Storage.State is null)
            {
                return; // nothing to write: never defined
            }

            try
            {
                await Storage.WriteStateAsync();
            }
            catch (InconsistentStateException)
            {
                // Storage holds another activation's writes: this one must not go on admitting.
                _dirty = false;
                DeactivateOnIdle();
                throw;
            }
            catch
            {
                _dirty = true;
                throw;
            }
            finally
            {
                // Storage has it (or the next save writes a newer one): a live budget does not keep a
                // second copy of its account. A retirement while this save ran put its own record there.
                if (written is not null && _account is not null && ReferenceEquals(Storage.State, written))
                {
                    Storage.State = null;
                }
            }
        }
    }

    /// <summary>What checks in this process answer from (<see cref="BudgetBoard"/>): published after every change.</summary>
    private void Publish() => (_slot ??= board.Join(TenantId, BudgetId)).Publish(_account?.Facts(), _knownVersion);

    /// <summary>Wakes the holds waiting for tentative holds to settle (only holds that had to wait made a signal).</summary>
    private void Signal()
    {
        if (_holding?.Settled is { } settled)
        {
            _holding.Settled = null;
            settled.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private (string TenantId, string Id) SplitKey()
    {
        var (tenantId, id) = BudgetKey.Split(this.GetPrimaryKeyString());

        // A tenant's budgets all name it: one string per tenant (tenants are few), not one per budget.
        _tenantId = string.Intern(tenantId);
        _budgetId = _account?.Definition.Id is { } defined && defined == id ? defined : id;
        return (_tenantId, _budgetId);
    }

    /// <summary>The definition with the id string this activation already keeps, so that the budget keeps one copy of it.</summary>
    private BudgetDefinition ShareId(BudgetDefinition definition) =>
        _budgetId is { } id && definition.Id == id && !ReferenceEquals(definition.Id, id) ? definition with { Id = id } : definition;

    /// <summary>What an activation keeps once it takes holds; most budgets are only checked and never need it.</summary>
    private sealed class Holding
    {
        /// <summary>Names this activation's fence in the ledger: the same key on every try, so a fence that landed is found.</summary>
        public readonly Guid Activation = Guid.NewGuid();

        /// <summary>Lapsed tentative holds whose refusal is being written.</summary>
        public readonly HashSet<string> Settling = new(StringComparer.Ordinal);

        /// <summary>This activation's epoch, once its fence is written and the ledger read up to it.</summary>
        public long? Epoch;

        public Task<long>? Fencing;

        public IGrainTimer? ExpiryTimer;

        /// <summary>Completed when a tentative hold settles; made by the first hold that has to wait.</summary>
        public TaskCompletionSource? Settled;
    }
}
