using System.Collections.Immutable;
using System.Diagnostics;
using BudgetActors.Grains.Domain;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace BudgetActors.Grains;

/// <summary>
/// One budget: the single authority on its admission decisions. Spend and holds live in memory and
/// every decision is made from there; the state is snapshotted shortly after changes, at
/// deactivation and whenever the definition changes — never on the check path.
/// Reentrant so that a hold that waits for tentative holds to settle does not stall the budget;
/// every handler mutates the account synchronously, so interleaving happens only at those waits.
/// </summary>
[Reentrant]
public sealed class BudgetGrain(
    [PersistentState("budget", StorageNames.Grains)] IPersistentState<BudgetSnapshot> storage,
    TimeProvider clock,
    ILogger<BudgetGrain> logger) : Grain, IBudgetGrain, IRemindable
{
    internal const string RolloverReminder = "period-rollover";

    /// <summary>How long a tentative hold may wait for its reservation to confirm or undo it.</summary>
    internal static readonly TimeSpan TentativeLease = TimeSpan.FromSeconds(30);

    /// <summary>How long a hold waits for tentative holds to settle before it is refused.</summary>
    private static readonly TimeSpan MaxTentativeWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SnapshotDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExpiryScanPeriod = TimeSpan.FromSeconds(1);

    private BudgetAccount? _account;
    private bool _dirty;
    private bool _writing;
    private IGrainTimer? _snapshotTimer;
    private IGrainTimer? _expiryTimer;
    private TaskCompletionSource _holdsSettled = NewSignal();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var snapshot = storage.State;
        if (snapshot.Definition is { } definition && !snapshot.Retired)
        {
            _account = BudgetAccount.Restore(definition, snapshot.CreatedAt,
                new Period(snapshot.PeriodStart, snapshot.PeriodEnd), snapshot.Spent, snapshot.Holds,
                snapshot.History, clock.GetUtcNow());
            await ScheduleRollover();
            ScheduleExpiry();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteSnapshot();
        }
    }

    public async Task<BudgetStatus> Define(BudgetDefinition definition)
    {
        var now = clock.GetUtcNow();
        if (_account is null)
        {
            var previous = storage.State;
            _account = BudgetAccount.Restore(definition, now, PeriodCalendar.PeriodContaining(definition.Period, now, now),
                Amount.Zero, [], previous.History, now);
        }
        else
        {
            Advance();
            _account.Redefine(definition, now);
        }

        await WriteSnapshot();
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

        Advance();
        _account.CloseAt(clock.GetUtcNow()); // the spend so far stays in the history
        var snapshot = TakeSnapshot();
        snapshot.Retired = true;
        snapshot.Holds.Clear();
        _account = null;
        storage.State = snapshot;
        await storage.WriteStateAsync();
        _dirty = false;
        if (await this.GetReminder(RolloverReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        Signal();
        DeactivateOnIdle();
    }

    public Task<BudgetVerdict?> Check(Amount amount, int priority)
    {
        if (!Advance())
        {
            return Task.FromResult<BudgetVerdict?>(null);
        }

        return Task.FromResult<BudgetVerdict?>(_account!.Evaluate(amount, priority));
    }

    public async Task<HoldOutcome?> Hold(HoldRequest request)
    {
        // Waiting is bounded in real time, not business time: a fake clock in tests must not stall it.
        var waitUntil = Stopwatch.GetTimestamp() + (long)(MaxTentativeWait.TotalSeconds * Stopwatch.Frequency);
        while (Advance())
        {
            var hold = request.Tentative
                ? request with { ExpiresAt = Min(request.ExpiresAt, clock.GetUtcNow() + TentativeLease) }
                : request;
            var (decision, verdict) = _account!.TryHold(hold);
            if (decision == HoldDecision.Granted)
            {
                Changed();
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

    public Task Confirm(string reservationId, DateTimeOffset expiresAt)
    {
        if (Advance() && _account!.Confirm(reservationId, expiresAt))
        {
            Changed();
            ScheduleExpiry();
            Signal();
        }

        return Task.CompletedTask;
    }

    public Task<BudgetStatus?> Release(string reservationId) =>
        Mutate(account => account.Release(reservationId));

    public Task<BudgetStatus?> Commit(string reservationId, Amount actual) =>
        Mutate(account => account.Commit(reservationId, actual));

    public Task<BudgetStatus?> Charge(Amount actual) =>
        Mutate(account => account.Charge(actual));

    public Task<BudgetStatus?> GetStatus() =>
        Task.FromResult(Advance() ? _account!.Status() : null);

    public Task<ImmutableArray<PeriodRecord>> GetHistory()
    {
        Advance();
        var history = _account?.History ?? storage.State.History;
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

    private Task<BudgetStatus?> Mutate(Action<BudgetAccount> change)
    {
        if (!Advance())
        {
            return Task.FromResult<BudgetStatus?>(null);
        }

        change(_account!);
        Changed();
        Signal();
        return Task.FromResult<BudgetStatus?>(_account!.Status());
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
                await WriteSnapshot();
            }
        }, new GrainTimerCreationOptions(SnapshotDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task WriteSnapshot()
    {
        if (_writing)
        {
            // A write is under way: it will be followed by another, since the state is still dirty.
            Changed();
            return;
        }

        _writing = true;
        try
        {
            _dirty = false;
            storage.State = TakeSnapshot();
            await storage.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
        finally
        {
            _writing = false;
        }
    }

    private BudgetSnapshot TakeSnapshot()
    {
        var previous = storage.State;
        if (_account is not { } account)
        {
            return previous;
        }

        return new BudgetSnapshot
        {
            Definition = account.Definition,
            Retired = false,
            CreatedAt = account.CreatedAt,
            PeriodStart = account.Period.Start,
            PeriodEnd = account.Period.End,
            Spent = account.Spent,
            Holds = new Dictionary<string, Hold>(account.Holds),
            History = [.. account.History],
        };
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
