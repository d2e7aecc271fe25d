using System.Collections.Immutable;
using System.Diagnostics;
using BudgetActors.Domain;
using BudgetActors.Domain.Forecasting;
using BudgetActors.Alerts;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Alerts;
using BudgetActors.Grains.Audit;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    IAuditLog audit,
    TimeProvider clock,
    ILogger<BudgetGrain> logger) : Grain, IBudgetGrain, IRemindable
{
    internal const string RolloverReminder = "period-rollover";

    // One reference to the silo's services instead of five: a million activations keep one each.
    private readonly Services _services = Services.For(ledger, directory, board, audit, clock, logger);

    /// <summary>The name of the budget's record in grain storage (what <c>[PersistentState("budget")]</c> named it before).</summary>
    internal const string StateName = "budget";

    /// <summary>How long a tentative hold may wait for its reservation's ledger entry before the budget settles it.</summary>
    internal static readonly TimeSpan TentativeLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a hold waits for tentative holds to settle before it is refused.</summary>
    private static readonly TimeSpan MaxTentativeWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SnapshotDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExpiryScanPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The most an activation waits for its first forecast (see <see cref="ScheduleForecast"/>).</summary>
    private static readonly TimeSpan FirstForecastWithin = TimeSpan.FromMinutes(1);

    // A silo keeps a million of these activations: every field costs megabytes, so what only a
    // budget that takes holds needs lives in Holding, allocated at its first hold, and the stored
    // record, a save in progress and timers are kept only while they are needed.
    private BudgetAccount? _account;
    private Holding? _holding;
    private bool _dirty;
    private Task? _saving;
    private IGrainTimer? _snapshotTimer;
    private IGrainTimer? _rolloverTimer;
    private IGrainTimer? _forecastTimer;
    private BudgetBoard.Slot? _slot;

    // The directory versions this activation's definition is known to be current with: the version
    // of the last definition (or retirement) it applied, and the newest version it has compared with.
    private long _definedVersion;
    private long _knownVersion;

    // The UTC ticks of the period end the rollover reminder was registered for (0: none known). With
    // _definedVersion and the account it is what a live budget stores: its stored record
    // (BudgetSnapshot) is made for each write and not kept, so a live budget holds its account once.
    private long _rolloverDue;

    // The stored record of a budget that is not live (retired: its history; null while live or never
    // defined), and the ETag of the record in storage, which the next write must name.
    private BudgetSnapshot? _record;
    private string? _etag;

    /// <summary>The tenant, from the grain's key; tenants are few, so one string of each is kept (interned), not one per budget.</summary>
    private string TenantId => string.Intern(BudgetKey.Split(this.GetPrimaryKeyString()).TenantId);

    /// <summary>The budget's id: its definition's while it has one (no second string of it), else from the grain's key.</summary>
    private string BudgetId => _account?.Definition.Id ?? BudgetKey.Split(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = Storage();
        await storage.ReadStateAsync();
        _etag = storage.Etag;
        var stored = storage.State;
        _definedVersion = _knownVersion = stored?.DefinitionVersion ?? 0;
        if (stored is { Retired: true })
        {
            _record = stored; // its history, and where a definition that brings it back starts
        }
        else if (stored is { Account: { } snapshot })
        {
            _account = BudgetAccount.Restore(snapshot with { Definition = Share(snapshot.Definition) }, Clock.GetUtcNow());
            _rolloverDue = stored.RolloverDue?.UtcTicks ?? 0;
            await CatchUp(cancellationToken);
            await KnowCurrency();
            Advance();
            await ScheduleRollover();
            ScheduleExpiry();
            ScheduleForecast();
            Publish();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_slot is { } slot)
        {
            Board.Leave(TenantId, BudgetId, slot); // checks in this process ask whichever activation comes next
        }

        if (_dirty)
        {
            await SaveQuietly();
        }

        CountHolds(0); // after the save, whose catch-up counts again: the next activation counts them
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
        if (!Advance())
        {
            return null;
        }

        var marks = _account!.Marks;
        var verdict = _account.Check(amount, priority, Clock.GetUtcNow());
        if (!ReferenceEquals(marks, _account.Marks))
        {
            Changed(); // the check started the period's grace: published, and in the next snapshot
            Publish();
        }

        return verdict;
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
            var now = Clock.GetUtcNow();
            var marks = _account!.Marks;
            var (decision, verdict) = _account.TryHold(request, now + TentativeLease, now);
            if (!ReferenceEquals(marks, _account.Marks))
            {
                Changed();
                Publish();
            }

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
                Logger.LogWarning("Hold {Reservation} on {Tenant}/{Budget} waited too long for tentative holds", request.ReservationId, TenantId, BudgetId);
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

        if (spend.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit && _holding?.Resetting is { IsCompleted: false } resetting)
        {
            // Spend that reaches the budget while a reset is being written waits for it: spend written
            // after the reset must be applied after it, as a replay of the ledger would (spend written
            // before it goes to the reset's record either way, BudgetAccount.Reset).
            await resetting.ContinueWith(static _ => { }, TaskScheduler.Current);
        }

        if (!Advance())
        {
            return null;
        }

        var pending = _account!.Tentative.Count;
        var periodStart = _account.Period.Start;
        var outcome = _account.Apply(spend);
        if (outcome == ApplyOutcome.Applied && spend.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit && spend.RecordedAt < periodStart)
        {
            _ = Audit.RecordEvent(Logger, TenantId, AuditEventTypes.UsageLate, Clock.GetUtcNow(), BudgetId, new
            {
                recordedAt = spend.RecordedAt,
                charged = spend.Amount,
                period = _account.History.FirstOrDefault(p => p.Contains(spend.RecordedAt)) is { } closed ? closed.PeriodStart : (DateTimeOffset?)null,
            });
        }

        if (outcome != ApplyOutcome.AlreadyApplied || _account.Tentative.Count != pending)
        {
            Changed();
            ScheduleExpiry();
            Signal();
            Publish();
            NoteAlerts();
        }

        return new ApplyResult(_account.Status(), outcome != ApplyOutcome.HoldNotHonoured);
    }

    public async Task<EmergencyResult?> UseEmergency(string reason, long directoryVersion)
    {
        await SyncDefinition(directoryVersion);
        if (!Advance())
        {
            return null;
        }

        var account = _account!;
        if (account.Definition.Emergency is not { } policy)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, $"Budget '{BudgetId}' has no emergency allocation: set 'emergency' in its definition.");
        }

        // The n-th use of the period has a key of its own: two callers racing for the last use store one
        // entry, and the loser finds the use taken and asks again (once more at most, then it is refused).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (account.EmergencyUsesLeft == 0)
            {
                throw new BudgetActorsException(ProblemKind.Conflict,
                    $"Budget '{BudgetId}' has used its emergency allocation {policy.PerPeriod} time(s) this period; more room needs an override.");
            }

            var use = policy.PerPeriod - account.EmergencyUsesLeft + 1;
            var periodStart = account.MarksPeriodStart; // a rolling budget's uses count per window length
            var appended = await Ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Emergency(BudgetId, periodStart, use), LedgerEntryKind.Emergency, null,
                [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), policy.Amount, null, reason,
                Clock.GetUtcNow(), null));
            await Apply(appended.Record.ToSpendEvent(BudgetId));
            if (appended.Duplicate || _account is null)
            {
                continue;
            }

            var status = _account.Status();
            await Audit.RecordEvent(Logger, TenantId, AuditEventTypes.EmergencyUsed, Clock.GetUtcNow(), BudgetId,
                new { added = policy.Amount, use, perPeriod = policy.PerPeriod, reason, limit = status.Cost.Limit });
            RaiseAlerts([new AlertTrigger($"{BudgetId}|emergency|{periodStart.UtcTicks}|{use}", BudgetId, AlertEventType.Emergency, null,
                status.Cost.Utilization ?? 0m, status.State, "cost", status.Cost.Spent + status.Cost.Reserved, status.Cost.Limit, status.PeriodEnd,
                $"{BudgetId}: emergency allocation used ({use} of {policy.PerPeriod} this period), limits raised by {Describe(policy.Amount)}; reason: {reason}",
                Clock.GetUtcNow())]);
            return new EmergencyResult(policy.Amount, _account.EmergencyUsesLeft, status);
        }

        throw new BudgetActorsException(ProblemKind.Conflict, $"Budget '{BudgetId}': other emergency uses raced with this one; try again.");
    }

    public async Task<ResetResult?> Reset(string reason)
    {
        var errors = new RequestErrors();
        OverrideRules.Reason(reason, errors);
        BudgetActorsException.ThrowIfAny(errors);
        await SyncDefinition(long.MaxValue);
        if (!Advance())
        {
            return null;
        }

        // One reset at a time, and spend delivered meanwhile waits for it (Apply).
        var holding = _holding ??= new Holding();
        while (holding.Resetting is { IsCompleted: false } earlier)
        {
            await earlier.ContinueWith(static _ => { }, TaskScheduler.Current);
        }

        var done = NewSignal();
        holding.Resetting = done.Task;
        LedgerRecord written;
        try
        {
            var appended = await Ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Reset(BudgetId, Guid.NewGuid()), LedgerEntryKind.Reset, null,
                [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), Amount.Zero, null, reason,
                Clock.GetUtcNow(), null));
            written = appended.Record;
            if (await Apply(written.ToSpendEvent(BudgetId)) is null)
            {
                return null; // deleted meanwhile
            }
        }
        finally
        {
            done.TrySetResult();
            if (holding.Resetting == done.Task)
            {
                holding.Resetting = null;
            }
        }

        var closed = _account!.ResetRecord(written.Sequence);
        var status = _account.Status();
        await Audit.RecordEvent(Logger, TenantId, AuditEventTypes.BudgetReset, written.Entry.RecordedAt, BudgetId, new
        {
            reason,
            periodStart = closed?.PeriodStart,
            periodEnd = closed?.PeriodEnd,
            spent = closed?.Spent,
            limits = closed?.Limits,
            finalState = closed?.FinalState,
            restEnds = status.PeriodEnd,
        });
        Logger.LogInformation("Budget {Budget} was reset at {At}", this.GetPrimaryKeyString(), written.Entry.RecordedAt);
        return new ResetResult(closed, status);
    }

    public Task<BudgetStatus?> GetStatus() =>
        Task.FromResult(Advance() ? _account!.Status() : null);

    public Task<ForecastBasis?> GetForecastBasis() =>
        Task.FromResult(Advance() ? _account!.ForecastBasis() : null);

    public Task<ImmutableArray<PeriodRecord>> GetHistory()
    {
        Advance();
        var history = _account?.History ?? _record?.Account?.History ?? [];
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

        if (await Directories.GetAsync(TenantId) is not { } view)
        {
            return;
        }

        var version = view.Directory.Version;
        if (_account is { Currency: null } known)
        {
            known.Currency = view.Tenant.Currency;
        }

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
        var now = Clock.GetUtcNow();
        if (_account is null)
        {
            _account = _record?.Account is { } previous
                ? BudgetAccount.Reincarnate(Share(definition), previous.History, await LedgerPosition(previous.Watermark), previous.Epoch, now)
                : new BudgetAccount(Share(definition), now, now);
            await KnowCurrency();
            _record = null; // kept while retired, for the history and the watermark; the account has them now
            if (_holding is { } holding)
            {
                holding.Epoch = null; // a new incarnation takes holds in an epoch of its own
                holding.Fencing = null;
            }
        }
        else
        {
            Advance();
            _account.Redefine(Share(definition), now);
        }

        _definedVersion = _knownVersion = Math.Max(_knownVersion, version);

        // The tenant's directory already holds this definition: it applies now, and the snapshot is
        // only this grain's copy of it. If it cannot be written, it is written later, or the next
        // activation takes the definition from the directory again. The reminder comes first so that
        // the snapshot records the period end it was registered for.
        _dirty = true;
        Publish();
        NoteAlerts(); // new limits may bring new thresholds into reach
        ScheduleForecast(); // a policy that now forecasts
        await ScheduleRolloverQuietly();
        await SaveQuietly();
        Signal(); // new limits may let waiting holds through
    }

    /// <summary>
    /// Tells the account its tenant's currency, which its reasons name with their money figures. From
    /// this process's directory cache (the directory's own string, so no copy per budget); wording
    /// only, so a directory that cannot be read leaves the figures without a code rather than failing.
    /// </summary>
    private async Task KnowCurrency()
    {
        if (_account is not { Currency: null } account)
        {
            return;
        }

        try
        {
            account.Currency = (await Directories.GetAsync(TenantId))?.Tenant.Currency;
        }
        catch (Exception e)
        {
            Logger.LogDebug(e, "Budget {Budget} words its reasons without the currency: the directory could not be read", this.GetPrimaryKeyString());
        }
    }

    private async Task ApplyRetirement(long version)
    {
        _definedVersion = _knownVersion = Math.Max(_knownVersion, version);
        if (_account is null)
        {
            if (_record is { } record)
            {
                record.DefinitionVersion = _definedVersion;
            }

            return;
        }

        try
        {
            await CatchUp();
        }
        catch (LedgerUnavailableException e)
        {
            Logger.LogWarning(e, "Budget {Tenant}/{Budget} retires without catching up: the ledger is unavailable", TenantId, BudgetId);
        }

        Advance();
        _account.CloseAt(Clock.GetUtcNow()); // the spend so far stays in the history
        // Kept: a retired budget's history is read from it, and a definition that brings it back starts from it.
        _record = new BudgetSnapshot { Account = _account.Snapshot(), Retired = true, DefinitionVersion = _definedVersion };
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
            var records = await Ledger.ReadForBudgetAsync(TenantId, BudgetId, watermark);
            return records.Count == 0 ? watermark : records[^1].Sequence;
        }
        catch (LedgerUnavailableException e)
        {
            Logger.LogWarning(e, "Budget {Tenant}/{Budget} is defined again without reading the ledger: it is unavailable", TenantId, BudgetId);
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
        var appended = await Ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Fence(BudgetId, holding.Activation), LedgerEntryKind.Fence, null,
            [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), Amount.Zero, null, "", Clock.GetUtcNow(), null));
        await CatchUp();
        var fence = appended.Record.Sequence;
        if (_account is { } account && account.Epoch > fence)
        {
            // Another activation of this budget fenced after this one: it is the budget now.
            Logger.LogError("Budget {Tenant}/{Budget} has a newer activation (epoch {Theirs} after {Ours}); this one steps down", TenantId, BudgetId, account.Epoch, fence);
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

        var now = Clock.GetUtcNow();
        var periodStart = _account.Period.Start;
        var holds = _account.Holds.Count;
        var spent = _account.Spent;
        var rolling = _account.Definition.Period.Type == PeriodType.Rolling;
        if (_account.Advance(now))
        {
            if (!rolling || _account.Spent != spent || _account.Holds.Count != holds)
            {
                Changed(); // a window that only moved on has nothing new to store
            }

            Publish();
            if (_account.Holds.Count != holds)
            {
                Signal();
            }

            if (_account.Period.Start != periodStart && !rolling)
            {
                Logger.LogInformation("Budget {Tenant}/{Budget} rolled over to the period from {Start}", TenantId, BudgetId, _account.Period.Start);
                if (_account.History.FirstOrDefault(p => p.PeriodStart == periodStart) is { } closed)
                {
                    _ = Audit.RecordEvent(Logger, TenantId, AuditEventTypes.PeriodClosed, closed.PeriodEnd, BudgetId, new
                    {
                        periodStart = closed.PeriodStart,
                        periodEnd = closed.PeriodEnd,
                        spent = closed.Spent,
                        limits = closed.Limits,
                        finalState = closed.FinalState,
                        carriedIn = closed.CarriedIn,
                        carriedOut = closed.CarriedOut,
                    });
                }

                ScheduleForecast(); // a new period may be forecast again
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
            var appended = await Ledger.AppendAsync(new LedgerEntry(TenantId, LedgerKeys.Hold(reservationId), LedgerEntryKind.Refusal, reservationId,
                [BudgetId], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), Amount.Zero, null, "lapsed",
                Clock.GetUtcNow(), null));
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
            Logger.LogWarning(e, "Budget {Tenant}/{Budget} could not settle the lapsed hold of {Reservation}", TenantId, BudgetId, reservationId);
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

        var records = await Ledger.ReadForBudgetAsync(TenantId, BudgetId, _account.Watermark, cancellationToken);
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
            NoteAlerts();
            Logger.LogInformation("Budget {Tenant}/{Budget} caught up with {Count} ledger entries", TenantId, BudgetId, missed);
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
        if (_account is { } defined && (defined.Period.End is null || defined.Definition.Period.Type == PeriodType.Rolling))
        {
            // Nothing closes by itself (a total budget), or a window that slides lazily: no reminder,
            // and one registered for an earlier definition goes.
            if ((force || _rolloverDue != 0) && await this.GetReminder(RolloverReminder) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            if (_account is not null && _rolloverDue != 0)
            {
                _rolloverDue = 0;
                _dirty = true;
            }

            return;
        }

        if (_account?.Period.End is not { } end || (!force && _rolloverDue == end.UtcTicks))
        {
            return;
        }

        var due = end - Clock.GetUtcNow();
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
            Logger.LogWarning(e, "Budget {Tenant}/{Budget} could not register its rollover reminder; it rolls over lazily until it can", TenantId, BudgetId);
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
                    await Task.WhenAll(_account!.Lapsed(Clock.GetUtcNow()).Where(holding.Settling.Add).Select(SettleLapsed));
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
            Logger.LogWarning(e, "Budget {Tenant}/{Budget} could not write its snapshot; it is exact without it and is written again later", TenantId, BudgetId);
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
                Logger.LogWarning(e, "Budget {Tenant}/{Budget} snapshots without catching up: the ledger is unavailable", TenantId, BudgetId);
            }

            _dirty = false;
            var record = _record;
            if (_account is { } account)
            {
                record = new BudgetSnapshot
                {
                    Account = account.Snapshot(),
                    DefinitionVersion = _definedVersion,
                    RolloverDue = _rolloverDue == 0 ? null : new DateTimeOffset(_rolloverDue, TimeSpan.Zero),
                };
                account.Trim();
            }

            if (record is null)
            {
                return; // nothing to write: never defined
            }

            // The record and the storage bridge are kept only while they are written: the activation
            // keeps the ETag the write returns.
            var storage = Storage();
            storage.Etag = _etag;
            storage.State = record;
            try
            {
                await storage.WriteStateAsync();
                _etag = storage.Etag;
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
        }
    }

    /// <summary>
    /// Tells the tenant's alerts grain what the period has newly come to (a threshold, a state: each
    /// once a period, <see cref="BudgetAccount.NoteAlertFacts"/>), off the admission path: the call is
    /// not awaited by the change that caused it. The marks are in the next snapshot; a trigger sent
    /// again after a crash is one alert, since its key is the same.
    /// </summary>
    private void NoteAlerts()
    {
        if (_account is not { } account)
        {
            return;
        }

        var facts = account.NoteAlertFacts();
        if (facts.Count == 0)
        {
            return;
        }

        _dirty = true;
        var now = Clock.GetUtcNow();
        RaiseAlerts([.. facts.Select(fact => Trigger(fact, account.InForce, now))]);
    }

    /// <summary>
    /// With a forecasting alert policy, a timer asks the forecaster every <c>Alerts:ForecastInterval</c>
    /// whether the budget will pass its limit before the period ends, until it has said so for the
    /// period. Never on the admission path: the timer interleaves with requests, and the forecast
    /// (a read of the daily aggregates as they are, and a backtest) runs in the silo's report worker.
    /// </summary>
    private void ScheduleForecast()
    {
        if (_forecastTimer is not null || _account is not { AwaitsForecast: true })
        {
            return;
        }

        var interval = ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value.ForecastInterval;
        var first = Random.Shared.NextDouble() * (interval < FirstForecastWithin ? interval : FirstForecastWithin);
        _forecastTimer = this.RegisterGrainTimer(NoteForecast, new GrainTimerCreationOptions(first, interval) { Interleave = true });
    }

    private async Task NoteForecast()
    {
        if (!Advance() || _account is not { AwaitsForecast: true } account || account.ForecastBasis() is not { } basis)
        {
            // No forecast to make until the next period or a new definition, which schedule it again.
            _forecastTimer?.Dispose();
            _forecastTimer = null;
            return;
        }

        ForecastOutcome outcome;
        try
        {
            outcome = await GrainFactory.GetGrain<ISpendReportGrain>(0).ForecastFrom(TenantId, BudgetId, basis);
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "Budget {Tenant}/{Budget}: no forecast this time; asking again at the next interval", TenantId, BudgetId);
            return;
        }

        if (outcome is Forecast forecast && _account?.NoteForecast(forecast) is { } fact)
        {
            Changed();
            RaiseAlerts([Trigger(fact, _account.InForce, Clock.GetUtcNow())]);
        }
    }

    /// <summary>An alert fact as the alerts grain takes it, under a key that makes it one alert however often it is sent.</summary>
    private AlertTrigger Trigger(AlertFact fact, BudgetDefinition definition, DateTimeOffset now) => new(
        $"{BudgetId}|{fact.PeriodStart.UtcTicks}|{fact.Kind}|{(fact.Kind == AlertFactKind.State ? fact.State : fact.Threshold)}",
        BudgetId,
        fact.Kind switch
        {
            AlertFactKind.Threshold => AlertEventType.ThresholdCrossed,
            AlertFactKind.State => AlertEventType.StateChanged,
            _ => AlertEventType.ForecastOverrun,
        },
        fact.Threshold, fact.Utilization, fact.State, fact.Metric, fact.Spent, fact.Limit, fact.PeriodEnd,
        AlertWording.Of(fact, definition), now);

    /// <summary>Sends triggers to the alerts grain in the background, trying a few times: an alert must not fail, or slow, the change that caused it.</summary>
    private void RaiseAlerts(IReadOnlyList<AlertTrigger> triggers)
    {
        var alerts = GrainFactory.GetGrain<IAlertsGrain>(TenantId);
        _ = Send();

        async Task Send()
        {
            foreach (var trigger in triggers)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await alerts.Raise(trigger);
                        break;
                    }
                    catch (Exception e) when (attempt < 3)
                    {
                        Logger.LogWarning(e, "Budget {Tenant}/{Budget}: alert {Key} not raised yet (attempt {Attempt})", TenantId, BudgetId, trigger.Key, attempt);
                        await Task.Delay(TimeSpan.FromSeconds(attempt));
                    }
                    catch (Exception e)
                    {
                        Logger.LogError(e, "Budget {Tenant}/{Budget}: alert {Key} could not be raised", TenantId, BudgetId, trigger.Key);
                        break;
                    }
                }
            }
        }
    }

    private static string Describe(Amount amount) => string.Join(", ", new[]
    {
        amount.Cost > 0 ? $"cost +{amount.Cost}" : null,
        amount.Tokens > 0 ? $"tokens +{amount.Tokens}" : null,
        amount.Operations > 0 ? $"operations +{amount.Operations}" : null,
    }.OfType<string>());

    /// <summary>What checks in this process answer from (<see cref="BudgetBoard"/>): published after every change.</summary>
    private void Publish()
    {
        (_slot ??= Board.Join(TenantId, BudgetId)).Publish(_account?.Facts(), _knownVersion);
        CountHolds(_account?.Holds.Count ?? 0);
    }

    /// <summary>Moves the holds gauge by what changed since this activation last counted (kept with its holds: a budget that never holds pays nothing).</summary>
    private void CountHolds(int holds)
    {
        if (holds > 0 || _holding is not null)
        {
            var holding = _holding ??= new Holding();
            holding.CountedHolds = BudgetMetrics.CountHolds(holding.CountedHolds, holds);
        }
    }

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

    /// <summary>
    /// The budget's record in grain storage, through Orleans' own storage bridge (its reads and writes,
    /// errors, traces and metrics are those of <c>[PersistentState]</c>), made for each read or write
    /// and not kept. A persistent-state facet would live as long as the activation and join its
    /// lifecycle and migration, which costs every activation about 400 bytes (the facet, its state
    /// object, a lifecycle with its observer lists). The grain reads the record itself, first thing at
    /// activation; an activation that moved reads it again rather than carrying it, as it carries none
    /// of the rest of the account either.
    /// </summary>
    private StateStorageBridge<BudgetSnapshot?> Storage() =>
        new(StateName, GrainContext, ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));

    /// <summary>The definition as the budget keeps it: its parts that other budgets have alike shared with them (<see cref="SharedDefinitionParts"/>).</summary>
    private static BudgetDefinition Share(BudgetDefinition definition) => SharedDefinitionParts.Share(definition);

    private ISpendLedger Ledger => _services.Ledger;

    private TenantDirectoryCache Directories => _services.Directories;

    private BudgetBoard Board => _services.Board;

    private TimeProvider Clock => _services.Clock;

    private ILogger Logger => _services.Logger;

    private IAuditLog Audit => _services.Audit;

    /// <summary>
    /// The services every budget activation of a silo uses, in one object: the activations of a silo
    /// are given the same singletons, so the last bundle made is reused while they are the same (a
    /// process with two silos, as tests run them, makes one now and then; each is right for its grain).
    /// </summary>
    private sealed class Services(ISpendLedger ledger, TenantDirectoryCache directories, BudgetBoard board, IAuditLog audit, TimeProvider clock, ILogger logger)
    {
        private static Services? _last;

        public ISpendLedger Ledger { get; } = ledger;

        public TenantDirectoryCache Directories { get; } = directories;

        public BudgetBoard Board { get; } = board;

        public IAuditLog Audit { get; } = audit;

        public TimeProvider Clock { get; } = clock;

        public ILogger Logger { get; } = logger;

        public static Services For(ISpendLedger ledger, TenantDirectoryCache directories, BudgetBoard board, IAuditLog audit, TimeProvider clock, ILogger logger)
        {
            if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Ledger, ledger) && ReferenceEquals(last.Directories, directories)
                && ReferenceEquals(last.Board, board) && ReferenceEquals(last.Audit, audit) && ReferenceEquals(last.Clock, clock)
                && ReferenceEquals(last.Logger, logger))
            {
                return last;
            }

            var made = new Services(ledger, directories, board, audit, clock, logger);
            Volatile.Write(ref _last, made);
            return made;
        }
    }

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

        /// <summary>A manual reset being written: spend delivered meanwhile waits for it (made by the first reset, which is rare).</summary>
        public Task? Resetting;

        /// <summary>Completed when a tentative hold settles; made by the first hold that has to wait.</summary>
        public TaskCompletionSource? Settled;

        /// <summary>This activation's firm holds as the holds gauge counts them.</summary>
        public int CountedHolds;
    }
}
