using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>
/// The arithmetic of one budget in its current period, without a silo: spend, holds, admission
/// decisions, expiry and rollover. A budget grain owns one and is its only caller, one call at a time.
/// </summary>
public sealed class BudgetAccount
{
    /// <summary>Closed periods kept: about three years of a daily budget.</summary>
    public const int HistoryCapacity = 1000;

    private readonly Dictionary<string, Hold> _holds = new(StringComparer.Ordinal);
    private readonly List<PeriodRecord> _history = []; // newest first
    private Amount _tentative = Amount.Zero;

    // No hold expires before this, so most calls skip the scan for expired holds.
    private DateTimeOffset? _nextExpiry;

    // Ledger entries above the watermark that are already reflected here: the coordinators deliver
    // them as they are written, and reading the ledger must not apply them a second time.
    private readonly SortedSet<long> _appliedAbove = [];

    // Reservations committed or released before their hold entry reached this budget (the
    // coordinator that wrote the hold died before delivering it): the late hold must not come back.
    private readonly Dictionary<string, DateTimeOffset> _closedBeforeHold = new(StringComparer.Ordinal);

    /// <summary>How long a reservation can stay open: past this a late hold entry would have expired anyway.</summary>
    public static readonly TimeSpan MaxHoldLifetime = TimeSpan.FromDays(8);

    public BudgetAccount(BudgetDefinition definition, DateTimeOffset createdAt, DateTimeOffset now)
    {
        Definition = definition;
        CreatedAt = createdAt;
        Period = PeriodCalendar.PeriodContaining(definition.Period, now, createdAt);
    }

    public BudgetDefinition Definition { get; private set; }

    /// <summary>Where a <c>total</c> period starts.</summary>
    public DateTimeOffset CreatedAt { get; }

    public Period Period { get; private set; }

    public Amount Spent { get; private set; } = Amount.Zero;

    /// <summary>All live holds, tentative ones included.</summary>
    public Amount Reserved { get; private set; } = Amount.Zero;

    public IReadOnlyDictionary<string, Hold> Holds => _holds;

    public IReadOnlyList<PeriodRecord> History => _history;

    /// <summary>Every ledger entry up to this sequence number is reflected in this account.</summary>
    public long Watermark { get; private set; }

    /// <summary>Entries above the watermark that are reflected too.</summary>
    public IReadOnlyCollection<long> AppliedAbove => _appliedAbove;

    public IReadOnlyDictionary<string, DateTimeOffset> ClosedBeforeHold => _closedBeforeHold;

    /// <summary>Restores a snapshot taken by a previous activation; replay the ledger after <see cref="Watermark"/> next.</summary>
    public static BudgetAccount Restore(BudgetSnapshotData snapshot, DateTimeOffset now)
    {
        var account = new BudgetAccount(snapshot.Definition, snapshot.CreatedAt, now)
        {
            Period = snapshot.Period,
            Spent = snapshot.Spent,
            Watermark = snapshot.Watermark,
        };
        foreach (var (id, hold) in snapshot.Holds)
        {
            account.AddHold(id, hold with { Tentative = false });
        }

        account._history.AddRange(snapshot.History.Take(HistoryCapacity));
        account._appliedAbove.UnionWith(snapshot.AppliedAbove);
        foreach (var (id, closedAt) in snapshot.ClosedBeforeHold)
        {
            account._closedBeforeHold[id] = closedAt;
        }

        return account;
    }

    /// <summary>
    /// The durable part of the account: firm holds only (a tentative hold has no ledger entry yet,
    /// and its reservation either writes one, which replay brings back, or gives up).
    /// </summary>
    public BudgetSnapshotData Snapshot() => new(
        Definition, CreatedAt, Period, Spent,
        _holds.Where(h => !h.Value.Tentative).ToDictionary(h => h.Key, h => h.Value),
        [.. _history], Watermark, [.. _appliedAbove], new Dictionary<string, DateTimeOffset>(_closedBeforeHold));

    /// <summary>
    /// Applies a ledger entry once: false when it is already reflected. Entries may arrive out of
    /// sequence order (from different coordinators, or from reading the ledger); each kind of entry
    /// is written so that any order gives the same account.
    /// </summary>
    public bool Apply(SpendEvent spend)
    {
        if (spend.Sequence <= Watermark || !_appliedAbove.Add(spend.Sequence))
        {
            return false;
        }

        Advance(spend.RecordedAt);
        var reservation = spend.ReservationId ?? "";
        switch (spend.Kind)
        {
            case LedgerEntryKind.Hold:
                var expiresAt = spend.ExpiresAt ?? spend.RecordedAt;
                if (_closedBeforeHold.Remove(reservation))
                {
                    break; // committed or released already: the hold is over
                }

                var tentative = RemoveHold(reservation);
                AddHold(reservation, new Hold(tentative?.Amount ?? spend.Amount, expiresAt, false));
                break;
            case LedgerEntryKind.Release:
                CloseReservation(reservation, spend.RecordedAt);
                break;
            case LedgerEntryKind.Commit:
                CloseReservation(reservation, spend.RecordedAt);
                Spent += spend.Amount;
                break;
            case LedgerEntryKind.Usage:
                Spent += spend.Amount;
                break;
        }

        return true;
    }

    /// <summary>
    /// Every ledger entry up to <paramref name="sequence"/> has been read and applied: move the
    /// watermark there. Sequences are assigned in commit order, so none can appear below it later.
    /// </summary>
    public void AdvanceWatermark(long sequence, DateTimeOffset now)
    {
        if (sequence > Watermark)
        {
            Watermark = sequence;
            _appliedAbove.RemoveWhere(s => s <= sequence);
        }

        foreach (var (id, closedAt) in _closedBeforeHold.Where(c => now - c.Value > MaxHoldLifetime).ToList())
        {
            _closedBeforeHold.Remove(id);
        }
    }

    private void CloseReservation(string reservationId, DateTimeOffset at)
    {
        if (RemoveHold(reservationId) is null)
        {
            _closedBeforeHold[reservationId] = at; // its hold entry may be still to come, or expired long ago
        }
    }

    /// <summary>
    /// Brings the account to <paramref name="now"/>: closes the period if it has ended (once, however
    /// many periods passed) and drops expired holds. Returns whether anything changed.
    /// </summary>
    public bool Advance(DateTimeOffset now)
    {
        var changed = RollOver(now);
        if (_nextExpiry is not { } next || now < next)
        {
            return changed;
        }

        List<string>? expired = null;
        _nextExpiry = null;
        foreach (var (id, hold) in _holds)
        {
            if (hold.ExpiresAt <= now)
            {
                (expired ??= []).Add(id);
            }
            else if (_nextExpiry is null || hold.ExpiresAt < _nextExpiry)
            {
                _nextExpiry = hold.ExpiresAt;
            }
        }

        if (expired is not null)
        {
            foreach (var id in expired)
            {
                RemoveHold(id);
            }

            changed = true;
        }

        return changed;
    }

    /// <summary>No hold expires before this (null when there is nothing to expire).</summary>
    public DateTimeOffset? NextExpiry => _holds.Count == 0 ? null : _nextExpiry;

    public void Redefine(BudgetDefinition definition, DateTimeOffset now)
    {
        var periodChanged = definition.Period != Definition.Period;
        Definition = definition;
        if (periodChanged)
        {
            var period = PeriodCalendar.PeriodContaining(definition.Period, now, CreatedAt);
            if (period != Period)
            {
                CloseAt(now);
                Period = period;
            }
        }
    }

    public BudgetVerdict Evaluate(Amount amount, int priority) =>
        Evaluate(amount, priority, Spent + Reserved);

    public (HoldDecision Decision, BudgetVerdict Verdict) TryHold(HoldRequest request)
    {
        if (_holds.ContainsKey(request.ReservationId))
        {
            // A retried hold of the same reservation: it already holds.
            return (HoldDecision.Granted, Evaluate(Amount.Zero, request.Priority));
        }

        var verdict = Evaluate(request.Amount, request.Priority);
        if (verdict.Decision == Decision.Block)
        {
            var withoutTentative = Evaluate(request.Amount, request.Priority, Spent + Reserved - _tentative);
            return (withoutTentative.Decision == Decision.Block ? HoldDecision.Refused : HoldDecision.WaitForTentative, verdict);
        }

        AddHold(request.ReservationId, new Hold(request.Amount, request.ExpiresAt, request.Tentative));
        return (HoldDecision.Granted, verdict with { Status = Status() });
    }

    /// <summary>Frees a tentative hold (its reservation was refused or not recorded); firm holds stay.</summary>
    public bool Undo(string reservationId)
    {
        if (!_holds.TryGetValue(reservationId, out var hold) || !hold.Tentative)
        {
            return false;
        }

        RemoveHold(reservationId);
        return true;
    }

    public BudgetStatus Status() => Status(Spent + Reserved);

    private BudgetStatus Status(Amount used)
    {
        var limits = Definition.Limits;
        var cost = Metric(limits.Cost, Spent.Cost, Reserved.Cost);
        var tokens = Metric(limits.Tokens, Spent.Tokens, Reserved.Tokens);
        var operations = Metric(limits.Operations, Spent.Operations, Reserved.Operations);
        var utilization = MaxUtilization(used);
        return new BudgetStatus(Definition.Id, Period.Start, Period.End, StateAt(utilization), cost, tokens, operations);
    }

    private BudgetVerdict Evaluate(Amount amount, int priority, Amount usedBefore)
    {
        var projected = usedBefore + amount;
        var thresholds = Definition.Thresholds;
        var utilization = MaxUtilization(projected);

        // Background work (negative priority) yields first: it is refused from the throttle threshold on.
        var ceiling = priority < 0 ? thresholds.Throttle : thresholds.Block;
        var hard = Definition.Mode == EnforcementMode.Hard;

        Decision decision;
        decimal? throttleFactor = null;
        if (Exceeds(projected, ceiling))
        {
            decision = Decision.Block;
        }
        else if (utilization >= thresholds.Throttle)
        {
            decision = Definition.DowngradeTo is null ? Decision.Throttle : Decision.Downgrade;
            throttleFactor = ThrottleFactor(utilization, thresholds);
        }
        else
        {
            decision = utilization >= thresholds.Warn ? Decision.Warn : Decision.Allow;
        }

        if (!hard && decision > Decision.Warn)
        {
            // A soft budget never blocks or throttles: it only reports.
            decision = Decision.Warn;
            throttleFactor = null;
        }

        var downgradeTo = decision == Decision.Downgrade ? Definition.DowngradeTo : null;
        return new BudgetVerdict(decision, decision == Decision.Throttle ? throttleFactor : null, downgradeTo, Status());
    }

    /// <summary>True when any limited metric would pass <paramref name="fraction"/> of its limit.</summary>
    private bool Exceeds(Amount projected, decimal fraction)
    {
        var limits = Definition.Limits;
        return (limits.Cost is { } c && projected.Cost > c * fraction)
            || (limits.Tokens is { } t && projected.Tokens > t * fraction)
            || (limits.Operations is { } o && projected.Operations > o * fraction);
    }

    /// <summary>The highest share of a limit in use over the limited metrics (0 when none is limited).</summary>
    private decimal MaxUtilization(Amount used)
    {
        var limits = Definition.Limits;
        var max = 0m;
        if (limits.Cost is { } c) max = Math.Max(max, Utilization(used.Cost, c));
        if (limits.Tokens is { } t) max = Math.Max(max, Utilization(used.Tokens, t));
        if (limits.Operations is { } o) max = Math.Max(max, Utilization(used.Operations, o));
        return max;
    }

    /// <summary>The exact share of a limit in use; a zero limit is full from the start. Decisions use it unrounded.</summary>
    private static decimal Utilization(decimal used, decimal limit) => limit == 0m ? 1m : used / limit;

    /// <summary>1 at the throttle threshold down to 0 at the block threshold: the share of its normal rate a caller should keep.</summary>
    private static decimal ThrottleFactor(decimal utilization, Thresholds thresholds)
    {
        var band = thresholds.Block - thresholds.Throttle;
        if (band <= 0m)
        {
            return 0m;
        }

        var factor = (thresholds.Block - utilization) / band;
        return Math.Round(Math.Clamp(factor, 0m, 1m), 2, MidpointRounding.ToEven);
    }

    private BudgetState StateAt(decimal utilization)
    {
        var t = Definition.Thresholds;
        return utilization >= t.Block ? BudgetState.Blocked
            : utilization >= t.Throttle ? BudgetState.Throttled
            : utilization >= t.Warn ? BudgetState.Warning
            : BudgetState.Ok;
    }

    private static MetricStatus Metric(decimal? limit, decimal spent, decimal reserved)
    {
        if (limit is not { } l)
        {
            return new MetricStatus(null, spent, reserved, null, null);
        }

        var used = spent + reserved;
        return new MetricStatus(l, spent, reserved, Math.Max(0m, l - used), Math.Round(Utilization(used, l), 6, MidpointRounding.ToEven));
    }

    private bool RollOver(DateTimeOffset now)
    {
        if (Period.End is not { } end || now < end)
        {
            return false;
        }

        CloseAt(end);
        Period = PeriodCalendar.PeriodContaining(Definition.Period, now, CreatedAt);
        return true;
    }

    /// <summary>Files the current period's spend as history; held reservations carry over.</summary>
    public void CloseAt(DateTimeOffset end)
    {
        var spentOnly = Status(Spent);
        _history.Insert(0, new PeriodRecord(Period.Start, end, Spent, Definition.Limits, spentOnly.State));
        if (_history.Count > HistoryCapacity)
        {
            _history.RemoveAt(_history.Count - 1);
        }

        Spent = Amount.Zero;
    }

    private void AddHold(string id, Hold hold)
    {
        _holds[id] = hold;
        Reserved += hold.Amount;
        if (_nextExpiry is null || hold.ExpiresAt < _nextExpiry)
        {
            _nextExpiry = hold.ExpiresAt;
        }

        if (hold.Tentative)
        {
            _tentative += hold.Amount;
        }
    }

    private Hold? RemoveHold(string id)
    {
        if (!_holds.Remove(id, out var hold))
        {
            return null;
        }

        Reserved -= hold.Amount;
        if (hold.Tentative)
        {
            _tentative -= hold.Amount;
        }

        return hold;
    }
}
