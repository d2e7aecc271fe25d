using System.Collections.Immutable;
using System.Diagnostics;
using BudgetActors.Domain;
using BudgetActors.Grains.Ledger;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace BudgetActors.Grains;

/// <summary>
/// One budget: the single authority on its admission decisions. Spend and holds live in memory and
/// every decision is made from there. The ledger is the durable truth: coordinators deliver each
/// entry here once it is written, and the grain reads the ledger after its watermark to catch up
/// with any it missed — at activation (snapshot + replay) and before each snapshot, which is written
/// a few seconds after changes and at deactivation, never on the check path.
/// Reentrant so that a hold that waits for tentative holds to settle does not stall the budget;
/// every handler mutates the account synchronously, so interleaving happens only at awaits.
/// </summary>
[Reentrant]
public sealed class BudgetGrain(
    [PersistentState("budget", StorageNames.Grains)] IPersistentState<BudgetSnapshot> storage,
    ISpendLedger ledger,
    TimeProvider clock,
    ILogger<BudgetGrain> logger) : Grain, IBudgetGrain, IRemindable
{
    internal const string RolloverReminder = "period-rollover";

    /// <summary>How long a tentative hold may wait for its reservation's ledger entry.</summary>
    internal static readonly TimeSpan TentativeLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a hold waits for tentative holds to settle before it is refused.</summary>
    private static readonly TimeSpan MaxTentativeWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SnapshotDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExpiryScanPeriod = TimeSpan.FromSeconds(1);

    private BudgetAccount? _account;
    private bool _dirty;
    private Task? _saving;
    private IGrainTimer? _snapshotTimer;
    private IGrainTimer? _expiryTimer;
    private TaskCompletionSource _holdsSettled = NewSignal();

    private string TenantId => BudgetKey.Split(this.GetPrimaryKeyString()).TenantId;

    private string BudgetId => BudgetKey.Split(this.GetPrimaryKeyString()).Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (storage.State is { Retired: false, Account: { } snapshot })
        {
            _account = BudgetAccount.Restore(snapshot, clock.GetUtcNow());
            await CatchUp(cancellationToken);
            Advance();
            await ScheduleRollover();
            ScheduleExpiry();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dirty ? Save() : Task.CompletedTask;

    public async Task<BudgetStatus> Define(BudgetDefinition definition)
    {
        var now = clock.GetUtcNow();
        if (_account is null)
        {
            // A budget defined again after a delete keeps its history and its place in the ledger.
            var previous = storage.State.Account;
            _account = BudgetAccount.Restore(new BudgetSnapshotData(definition, now,
                PeriodCalendar.PeriodContaining(definition.Period, now, now), Amount.Zero, [],
                previous?.History ?? [], previous?.Watermark ?? 0, previous?.AppliedAbove ?? [],
                previous?.ClosedBeforeHold ?? []), now);
        }
        else
        {
            Advance();
            _account.Redefine(definition, now);
        }

        storage.State.Retired = false;
        _dirty = true;
        await Save();
        await ScheduleRollover();
        Signal(); // new limits may let waiting holds through
        return _account.Status();
    }

    public async Task Retire()
    {
        if (_account is null)
        {
            return;
        }

        await CatchUp();
        Advance();
        _account.CloseAt(clock.GetUtcNow()); // the spend so far stays in the history
        storage.State.Retired = true;
        _dirty = true;
        await Save();
        _account = null;
        if (await this.GetReminder(RolloverReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        Signal();
        DeactivateOnIdle();
    }

    public Task<BudgetVerdict?> Check(Amount amount, int priority) =>
        Task.FromResult(Advance() ? _account!.Evaluate(amount, priority) : null);

    public async Task<HoldOutcome?> Hold(HoldRequest request)
    {
        // Waiting is bounded in real time, not business time: a fake clock in tests must not stall it.
        var waitUntil = Stopwatch.GetTimestamp() + (long)(MaxTentativeWait.TotalSeconds * Stopwatch.Frequency);
        while (Advance())
        {
            var hold = request with { ExpiresAt = Min(request.ExpiresAt, clock.GetUtcNow() + TentativeLease), Tentative = true };
            var (decision, verdict) = _account!.TryHold(hold);
            if (decision == HoldDecision.Granted)
            {
                ScheduleExpiry();
                return new HoldOutcome(true, verdict);
            }

            var remaining = waitUntil - Stopwatch.GetTimestamp();
            if (decision == HoldDecision.Refused || remaining <= 0)
            {
                return new HoldOutcome(false, verdict);
            }

            // Refused only because of holds that may yet be undone: wait for one to settle, then decide again.
            try
            {
                await _holdsSettled.Task.WaitAsync(Stopwatch.GetElapsedTime(0, remaining));
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
        if (Advance() && _account!.Undo(reservationId))
        {
            Signal();
        }

        return Task.CompletedTask;
    }

    public Task<BudgetStatus?> Apply(SpendEvent spend)
    {
        if (!Advance())
        {
            return Task.FromResult<BudgetStatus?>(null);
        }

        if (_account!.Apply(spend))
        {
            Changed();
            ScheduleExpiry();
            Signal();
        }

        return Task.FromResult<BudgetStatus?>(_account.Status());
    }

    public Task<BudgetStatus?> GetStatus() =>
        Task.FromResult(Advance() ? _account!.Status() : null);

    public Task<ImmutableArray<PeriodRecord>> GetHistory()
    {
        Advance();
        var history = _account?.History ?? storage.State.Account?.History ?? [];
        return Task.FromResult(history.ToImmutableArray());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RolloverReminder)
        {
            return;
        }

        if (_account is null)
        {
            if (await this.GetReminder(RolloverReminder) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        Advance();
        await ScheduleRollover();
    }

    /// <summary>Rolls the period over and drops expired holds; false when the budget is not defined.</summary>
    private bool Advance()
    {
        if (_account is null)
        {
            return false;
        }

        var periodStart = _account.Period.Start;
        var holds = _account.Holds.Count;
        if (_account.Advance(clock.GetUtcNow()))
        {
            Changed();
            if (_account.Holds.Count != holds)
            {
                Signal();
            }

            if (_account.Period.Start != periodStart)
            {
                logger.LogInformation("Budget {Budget} rolled over to the period from {Start}", this.GetPrimaryKeyString(), _account.Period.Start);
                _ = ScheduleRollover();
            }
        }

        return true;
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
            missed += _account.Apply(record.ToSpendEvent()) ? 1 : 0;
        }

        _account.AdvanceWatermark(records[^1].Sequence, clock.GetUtcNow());
        _dirty = true;
        if (missed > 0)
        {
            logger.LogInformation("Budget {Budget} caught up with {Count} ledger entries", this.GetPrimaryKeyString(), missed);
            Signal();
        }
    }

    /// <summary>The reminder that closes the period when it ends, even if nothing calls the budget then.</summary>
    private async Task ScheduleRollover()
    {
        if (_account?.Period.End is not { } end)
        {
            return;
        }

        var due = end - clock.GetUtcNow();
        var period = end - _account.Period.Start;
        await this.RegisterOrUpdateReminder(RolloverReminder,
            due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due,
            period < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : period);
    }

    /// <summary>Holds free themselves when they expire: a timer sweeps while there are any.</summary>
    private void ScheduleExpiry()
    {
        if (_account is { Holds.Count: > 0 })
        {
            _expiryTimer ??= this.RegisterGrainTimer(() =>
            {
                Advance();
                if (_account is not { Holds.Count: > 0 })
                {
                    _expiryTimer?.Dispose();
                    _expiryTimer = null;
                }

                return Task.CompletedTask;
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
                await Save();
            }
        }, new GrainTimerCreationOptions(SnapshotDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    /// <summary>Catches up with the ledger and writes the snapshot; one save at a time.</summary>
    private async Task Save()
    {
        while (_saving is { IsCompleted: false } running)
        {
            await running.ContinueWith(static _ => { }, TaskScheduler.Current); // its failure is its caller's
        }

        _saving = SaveOnce();
        await _saving;

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
            if (_account is { } account)
            {
                storage.State.Account = account.Snapshot();
            }

            try
            {
                await storage.WriteStateAsync();
            }
            catch
            {
                _dirty = true;
                throw;
            }
        }
    }

    private void Signal()
    {
        var settled = _holdsSettled;
        _holdsSettled = NewSignal();
        settled.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
