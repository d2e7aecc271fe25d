using System.Collections.ObjectModel;
using BudgetActors.Domain.Forecasting;

namespace BudgetActors.Domain;

/// <summary>
/// The arithmetic of one budget in its current period, without a silo: spend, holds, admission
/// decisions (<see cref="AdmissionRule"/>), expiry and rollover. A budget grain owns one and is its
/// only caller, one call at a time.
/// <para>
/// Its state is the set of ledger entries it has applied, plus the tentative holds of reservations in
/// flight. Entries are applied once each (by sequence), and every kind is applied so that any order
/// gives the same account: a commit, release or void that arrives before its reservation's hold
/// remembers the hold's sequence so that the hold does not come back; spend counts in the period of
/// its recorded time, even when it arrives after that period closed. A hold entry is honoured only
/// if its tentative hold belongs to the budget's current epoch (see <see cref="LedgerEntryKind.Fence"/>),
/// which makes "was this hold in place?" a question the ledger itself answers, live and on replay.
/// </para>
/// </summary>
public sealed class BudgetAccount
{
    /// <summary>Closed periods kept: about three years of a daily budget.</summary>
    public const int HistoryCapacity = 1000;

    /// <summary>
    /// Open holds (tentative or firm) one budget keeps at most: abandoned reservations (a soft budget
    /// admits them all, for up to 7 days) cannot grow it, or its snapshot, without bound.
    /// </summary>
    public const int MaxOpenHolds = 10_000;

    // A silo keeps a million accounts, and most budgets only ever spend: every collection is
    // allocated when it first gets an element and let go once it is empty again (Trim), and what only
    // a budget that holds has (its holds, their totals, its epoch) lives in a HoldBook made at its
    // first hold. Empty collections and those fields would cost each account about 0.5 KB. Null reads
    // as empty, and a missing book as no holds, epoch 0, incarnation 0.
    private List<PeriodRecord>? _history; // newest first

    // Ledger entries above the watermark that are already reflected here: the coordinators deliver
    // them as they are written, and reading the ledger must not apply them a second time.
    private SortedSet<long>? _appliedAbove;

    private HoldBook? _book;

    // Emergency room taken and alerts already raised in the current period (null: none yet).
    private PeriodMarks? _marks;

    // The limits in force when they differ from the definition's (approved overrides, emergency room);
    // null when they do not, which is almost always.
    private LimitsInForce? _inForce;

    // The rate limits' state (in memory only), made at the first request of a budget that has them.
    private RateGate? _rates;

    // What only a budget with a rolling window, carry-over or a manual reset has, made when first needed.
    private PeriodExtras? _extras;

    public BudgetAccount(BudgetDefinition definition, DateTimeOffset createdAt, DateTimeOffset now)
    {
        Definition = definition;
        CreatedAt = createdAt;
        Period = PeriodCalendar.PeriodContaining(definition.Period, now, createdAt);
        RefreshLimits(now, force: true);
    }

    public BudgetDefinition Definition { get; private set; }

    /// <summary>The tenant's currency, for the money figures of reasons (its grain sets it; tenants are few, so the string is shared).</summary>
    public string? Currency { get; set; }

    /// <summary>Where a <c>total</c> period starts.</summary>
    public DateTimeOffset CreatedAt { get; }

    public Period Period { get; private set; }

    public Tally Spent { get; private set; } = Tally.Zero;

    /// <summary>Firm holds: reservations granted and not yet committed, released or expired.</summary>
    public Tally Reserved
    {
        get => _book?.Reserved ?? Tally.Zero;
        private set => Book.Reserved = value;
    }

    /// <summary>Tentative holds: reservations in flight, not yet written.</summary>
    public Tally Pending
    {
        get => _book?.Pending ?? Tally.Zero;
        private set => Book.Pending = value;
    }

    public IReadOnlyDictionary<string, Hold> Holds => (IReadOnlyDictionary<string, Hold>?)_book?.Holds ?? ReadOnlyDictionary<string, Hold>.Empty;

    public IReadOnlyDictionary<string, TentativeHold> Tentative => (IReadOnlyDictionary<string, TentativeHold>?)_book?.Tentative ?? ReadOnlyDictionary<string, TentativeHold>.Empty;

    public IReadOnlyList<PeriodRecord> History => _history ?? (IReadOnlyList<PeriodRecord>)Array.Empty<PeriodRecord>();

    /// <summary>Every ledger entry up to this sequence number is reflected in this account.</summary>
    public long Watermark { get; private set; }

    /// <summary>Entries above the watermark that are reflected too.</summary>
    public IReadOnlyCollection<long> AppliedAbove => _appliedAbove ?? (IReadOnlyCollection<long>)Array.Empty<long>();

    public IReadOnlyDictionary<string, long> ClosedBeforeHold => (IReadOnlyDictionary<string, long>?)_book?.ClosedBeforeHold ?? ReadOnlyDictionary<string, long>.Empty;

    public IReadOnlyDictionary<string, DateTimeOffset> NotHonoured => (IReadOnlyDictionary<string, DateTimeOffset>?)_book?.NotHonoured ?? ReadOnlyDictionary<string, DateTimeOffset>.Empty;

    /// <summary>The budget's latest epoch: the sequence of the latest fence entry applied.</summary>
    public long Epoch
    {
        get => _book?.Epoch ?? 0;
        private set
        {
            if (value != 0 || _book is not null)
            {
                Book.Epoch = value;
            }
        }
    }

    /// <summary>Entries up to this sequence belong to an earlier, deleted budget with the same id.</summary>
    public long IncarnationStart
    {
        get => _book?.IncarnationStart ?? 0;
        private set
        {
            if (value != 0 || _book is not null)
            {
                Book.IncarnationStart = value;
            }
        }
    }

    /// <summary>No firm hold expires before this (null when there is none).</summary>
    public DateTimeOffset? NextExpiry => _book is { Holds.Count: > 0, Expiries: { } expiries } && expiries.TryPeek(out _, out var at) ? at : null;

    private HoldBook Book => _book ??= new HoldBook();

    /// <summary>Emergency room taken and alerts raised in the current period (null: none).</summary>
    public PeriodMarks? Marks => _marks is { } marks && marks.PeriodStart == MarksPeriodStart ? marks : null;

    /// <summary>
    /// The period that "once a period" counts in (alert thresholds, grace, emergency uses): the current
    /// period, or for a rolling budget, which never closes, the current stretch of one window length
    /// counted from the Unix epoch.
    /// </summary>
    public DateTimeOffset MarksPeriodStart => Definition.Period is { Type: PeriodType.Rolling, WindowMinutes: { } minutes } && Period.End is { } slides
        ? new DateTimeOffset(slides.UtcTicks - 1 - ((slides.UtcTicks - 1 - DateTimeOffset.UnixEpoch.UtcTicks) % (minutes * TimeSpan.TicksPerMinute)), TimeSpan.Zero)
        : Period.Start;

    /// <summary>A rolling budget's spend in its window, by bucket (<see cref="PeriodCalendar.BucketOf"/>).</summary>
    public IReadOnlyDictionary<long, Tally> Buckets => (IReadOnlyDictionary<long, Tally>?)BucketList ?? ReadOnlyDictionary<long, Tally>.Empty;

    /// <summary>What carry-over passed into the current period (positive: unused budget added; negative: overage taken), before it met the limits.</summary>
    public Amount? CarryIn => CarryInRaw;

    private bool Rolling => Definition.Period.Type == PeriodType.Rolling;

    /// <summary>The definition with the limits in force: raised by approved overrides not yet expired and by emergency room taken this period.</summary>
    public BudgetDefinition InForce => _inForce?.Definition ?? Definition;

    /// <summary>Emergency uses left this period under the definition's emergency policy (0 without one).</summary>
    public int EmergencyUsesLeft => Definition.Emergency is { } policy ? Math.Max(0, policy.PerPeriod - (Marks?.EmergencyUses ?? 0)) : 0;

    /// <summary>Restores a snapshot taken by a previous activation; replay the ledger after <see cref="Watermark"/> next.</summary>
    public static BudgetAccount Restore(BudgetSnapshotData snapshot, DateTimeOffset now)
    {
        var account = new BudgetAccount(snapshot.Definition, snapshot.CreatedAt, now)
        {
            Period = snapshot.Period,
            Spent = snapshot.Spent,
            Watermark = snapshot.Watermark,
            Epoch = snapshot.Epoch,
            IncarnationStart = snapshot.IncarnationStart,
            _marks = snapshot.Marks,
            CarryInRaw = snapshot.CarryIn,
        };
        if (snapshot.Buckets is { Count: > 0 } buckets)
        {
            account.BucketList = new SortedList<long, Tally>(buckets);
        }

        foreach (var (id, hold) in snapshot.Holds)
        {
            account.AddFirm(id, hold);
        }

        account.KeepHistory(snapshot.History);
        account.LastReset = snapshot.History.Count == 0 ? 0 : snapshot.History.Max(r => r.ResetSequence);
        account.RefreshLimits(now, force: true);
        if (snapshot.AppliedAbove.Count > 0)
        {
            account._appliedAbove = [.. snapshot.AppliedAbove];
        }

        foreach (var (id, holdSequence) in snapshot.ClosedBeforeHold)
        {
            (account.Book.ClosedBeforeHold ??= new(StringComparer.Ordinal))[id] = holdSequence;
        }

        foreach (var (id, expiresAt) in snapshot.NotHonoured ?? [])
        {
            (account.Book.NotHonoured ??= new(StringComparer.Ordinal))[id] = expiresAt;
        }

        return account;
    }

    /// <summary>
    /// A new account for a budget defined again after it was deleted: its history is kept, and every
    /// ledger entry up to <paramref name="ledgerPosition"/> (written for the deleted budget) is left out.
    /// </summary>
    public static BudgetAccount Reincarnate(BudgetDefinition definition, IEnumerable<PeriodRecord> history, long ledgerPosition, long epoch, DateTimeOffset now)
    {
        var account = new BudgetAccount(definition, now, now)
        {
            Watermark = ledgerPosition,
            Epoch = epoch,
            IncarnationStart = ledgerPosition,
        };
        account.KeepHistory(history);
        return account;
    }

    /// <summary>
    /// The durable part of the account: firm holds only (a tentative hold has no ledger entry yet).
    /// Every collection is there, empty or not, as earlier versions wrote and read them; the
    /// dictionaries use the default comparer, which for strings is ordinal like the account's own, so
    /// that the stored form does not name a comparer three times.
    /// </summary>
    public BudgetSnapshotData Snapshot() => new(
        Definition, CreatedAt, Period, Spent,
        _book?.Holds is { } holds ? new Dictionary<string, Hold>(holds) : [],
        _history is null ? [] : [.. _history], Watermark, _appliedAbove is null ? [] : [.. _appliedAbove],
        _book?.ClosedBeforeHold is { } closedBeforeHold ? new Dictionary<string, long>(closedBeforeHold) : [],
        Epoch, IncarnationStart, _book?.NotHonoured is { } notHonoured ? new Dictionary<string, DateTimeOffset>(notHonoured) : [], Marks,
        BucketList is null ? null : new Dictionary<long, Tally>(BucketList), CarryInRaw);

    /// <summary>
    /// Lets go of the collections that are empty now, as if they had never been used; what the
    /// account says does not change. The budget grain calls it after each snapshot, so a budget that
    /// held for a while and then went quiet does not keep its grown collections.
    /// </summary>
    public void Trim()
    {
        if (_appliedAbove is { Count: 0 })
        {
            _appliedAbove = null;
        }

        if (_book is { } book && book.Trim())
        {
            _book = null;
        }

        if (_extras is { Buckets: null, CarryIn: null, LastReset: 0 })
        {
            _extras = null;
        }
    }

    // ----- Admission -----------------------------------------------------------------------

    /// <summary>What the budget says of a request now, on firm spend and holds; nothing is held, taken or started.</summary>
    public BudgetVerdict Evaluate(Amount amount, int priority, DateTimeOffset? now = null) => Facts().Evaluate(amount, priority, now);

    /// <summary>
    /// A check: what the budget says of a request now, on firm spend and holds. It holds nothing, but
    /// an admitted check counts against the rate limits, and one the grace admits first starts the grace.
    /// </summary>
    public BudgetVerdict Check(Amount amount, int priority, DateTimeOffset now)
    {
        var facts = Facts();
        var (verdict, cause) = facts.Judge(amount, priority, Spent + Reserved, now);
        return Admitted(verdict, cause, amount, priority, now);
    }

    /// <summary>The account as a check sees it: answers the same as <see cref="Evaluate"/> while current.</summary>
    public BudgetFacts Facts()
    {
        var grace = Marks?.GraceStartedAt;
        var graceEnd = grace?.AddMinutes(Definition.Policy.GracePeriodMinutes);
        return new(InForce, Period, Spent, Reserved, Earliest(Earliest(NextExpiry, _inForce?.Until), graceEnd), grace, Currency);
    }

    /// <summary>
    /// An admission the rule allows goes past the rate limits next (a refusal there blocks it, with
    /// that reason); one the grace admits for the first time this period starts the grace.
    /// </summary>
    private BudgetVerdict Admitted(BudgetVerdict verdict, AdmissionCause cause, Amount amount, int priority, DateTimeOffset now)
    {
        if (verdict.Decision == Decision.Block)
        {
            return verdict;
        }

        if (Definition.RateLimits is { } limits && (_rates ??= new RateGate()).TryTake(Definition, limits, amount.Tokens, now) is { } refusal)
        {
            return verdict with { Decision = Decision.Block, ThrottleFactor = null, DowngradeTo = null, Reason = refusal };
        }

        if (cause == AdmissionCause.Grace && Marks?.GraceStartedAt is null)
        {
            _marks = (Marks ?? PeriodMarks.Fresh(MarksPeriodStart)) with { GraceStartedAt = now };
            verdict = Facts().Evaluate(amount, priority, now) is { Reason: { } worded } ? verdict with { Reason = worded } : verdict; // says until when
        }

        return verdict;
    }

    /// <summary>
    /// Takes a tentative hold when the request fits on top of spend, firm holds and the other
    /// tentative holds. When it fits on firm spend and holds alone it waits for the tentative ones to
    /// settle instead of failing: one of them may yet be undone.
    /// </summary>
    public (HoldDecision Decision, BudgetVerdict Verdict) TryHold(HoldRequest request, DateTimeOffset leaseUntil, DateTimeOffset? now = null)
    {
        if (_book?.Holds?.ContainsKey(request.ReservationId) == true || _book?.Tentative?.ContainsKey(request.ReservationId) == true)
        {
            return (HoldDecision.Granted, Evaluate(Amount.Zero, request.Priority)); // a retried hold: it already holds
        }

        var facts = Facts();
        var firm = facts.Evaluate(request.Amount, request.Priority, now);
        if (firm.Decision == Decision.Block || (_book?.Holds?.Count ?? 0) + (_book?.Tentative?.Count ?? 0) >= MaxOpenHolds)
        {
            return (HoldDecision.Refused, firm with { Decision = Decision.Block, ThrottleFactor = null, DowngradeTo = null });
        }

        var (withPending, cause) = facts.Judge(request.Amount, request.Priority, Spent + Reserved + Pending, now);
        if (withPending.Decision == Decision.Block)
        {
            return (HoldDecision.WaitForTentative, withPending);
        }

        if (now is { } at)
        {
            withPending = Admitted(withPending, cause, request.Amount, request.Priority, at);
            if (withPending.Decision == Decision.Block)
            {
                return (HoldDecision.Refused, withPending); // a rate limit: waiting for tentative holds would not help
            }
        }

        (Book.Tentative ??= new(StringComparer.Ordinal))[request.ReservationId] = new TentativeHold(request.Amount, request.ExpiresAt, leaseUntil);
        Pending += request.Amount;
        return (HoldDecision.Granted, withPending);
    }

    /// <summary>Frees a tentative hold (its reservation was refused, or gave up before writing); firm holds stay.</summary>
    public bool Undo(string reservationId) => RemoveTentative(reservationId);

    /// <summary>
    /// Tentative holds whose lease (or reservation) ran out before their entry was written. The budget
    /// may not simply drop them — the entry may still be written — so it settles each through the
    /// ledger: a <see cref="LedgerEntryKind.Refusal"/> under the hold's key, whichever of the two is
    /// stored first wins, and the stored entry is then applied like any other.
    /// </summary>
    public IReadOnlyList<string> Lapsed(DateTimeOffset now)
    {
        if (_book?.Tentative is not { } tentative)
        {
            return [];
        }

        List<string>? lapsed = null;
        foreach (var (id, hold) in tentative)
        {
            if (hold.LeaseUntil <= now || hold.ExpiresAt <= now)
            {
                (lapsed ??= []).Add(id);
            }
        }

        return lapsed ?? (IReadOnlyList<string>)[];
    }

    // ----- The ledger ----------------------------------------------------------------------

    /// <summary>Applies a ledger entry once; any delivery order of the same entries gives the same account.</summary>
    public ApplyOutcome Apply(SpendEvent entry)
    {
        if (entry.Sequence <= Watermark || !(_appliedAbove ??= []).Add(entry.Sequence))
        {
            if (entry.Kind is LedgerEntryKind.Hold or LedgerEntryKind.Refusal)
            {
                // The key's fate is settled: a tentative hold a later attempt took under it is spent.
                RemoveTentative(entry.ReservationId ?? "");
            }

            return entry.Kind == LedgerEntryKind.Hold && _book?.NotHonoured?.ContainsKey(entry.ReservationId ?? "") == true
                ? ApplyOutcome.HoldNotHonoured
                : ApplyOutcome.AlreadyApplied;
        }

        // A rolling window moves only with the clock (and to a reset's time): an entry stamped ahead of
        // it (usage may be up to 5 minutes in the future) must not make older spend leave early, and an
        // account replayed from the ledger is the same without the clock's moves in between.
        Advance(entry.RecordedAt, slide: entry.Kind == LedgerEntryKind.Reset);
        var reservation = entry.ReservationId ?? "";
        switch (entry.Kind)
        {
            case LedgerEntryKind.Hold:
                if (_book?.ClosedBeforeHold?.Remove(reservation) == true)
                {
                    break; // committed, released or voided already: the hold is over
                }

                RemoveTentative(reservation);
                if (entry.Epoch < Epoch)
                {
                    (Book.NotHonoured ??= new(StringComparer.Ordinal))[reservation] = entry.ExpiresAt ?? entry.RecordedAt;
                    return ApplyOutcome.HoldNotHonoured;
                }

                if (_book?.Holds?.ContainsKey(reservation) != true)
                {
                    AddFirm(reservation, new Hold(entry.Amount, entry.ExpiresAt ?? entry.RecordedAt));
                }

                break;
            case LedgerEntryKind.Release or LedgerEntryKind.Void:
                Close(reservation, entry.HoldSequence);
                break;
            case LedgerEntryKind.Commit:
                if (entry.HoldSequence is { } held && held <= IncarnationStart)
                {
                    break; // a reservation of the deleted budget this one replaced
                }

                Close(reservation, entry.HoldSequence);
                ChargeAt(entry.Sequence, entry.RecordedAt, entry.Amount);
                break;
            case LedgerEntryKind.Usage:
                ChargeAt(entry.Sequence, entry.RecordedAt, entry.Amount);
                break;
            case LedgerEntryKind.Reset:
                Reset(entry.RecordedAt, entry.Note ?? "", entry.Sequence);
                break;
            case LedgerEntryKind.Refusal:
                RemoveTentative(reservation); // the hold's key is taken by its refusal: no hold will come
                break;
            case LedgerEntryKind.Fence:
                Epoch = Math.Max(Epoch, entry.Sequence);
                break;
            case LedgerEntryKind.Emergency:
                if (InMarkedPeriod(entry.RecordedAt))
                {
                    var marks = Marks ?? PeriodMarks.Fresh(MarksPeriodStart);
                    _marks = marks with { EmergencyUses = marks.EmergencyUses + 1, EmergencyRaise = marks.EmergencyRaise + entry.Amount };
                    RefreshLimits(entry.RecordedAt, force: true);
                }

                break; // room taken in a period already closed no longer matters
        }

        return ApplyOutcome.Applied;
    }

    /// <summary>
    /// Every ledger entry up to <paramref name="sequence"/> has been read and applied: move the
    /// watermark there. Sequences are assigned in commit order, so none can appear below it later.
    /// </summary>
    public void AdvanceWatermark(long sequence)
    {
        if (sequence <= Watermark)
        {
            return;
        }

        Watermark = sequence;
        _appliedAbove?.RemoveWhere(s => s <= sequence);
        if (_book?.ClosedBeforeHold is { Count: > 0 } closedBeforeHold)
        {
            foreach (var (id, _) in closedBeforeHold.Where(c => c.Value <= sequence).ToList())
            {
                closedBeforeHold.Remove(id);
            }
        }
    }

    private void Close(string reservationId, long? holdSequence)
    {
        if (_book?.NotHonoured?.Remove(reservationId) == true)
        {
            return; // its hold was never held here
        }

        if (_book?.Holds is { } holds && holds.Remove(reservationId, out var hold))
        {
            Reserved -= hold.Amount;
            return;
        }

        RemoveTentative(reservationId);
        if (holdSequence is { } sequence && sequence > Watermark && _appliedAbove?.Contains(sequence) != true)
        {
            (Book.ClosedBeforeHold ??= new(StringComparer.Ordinal))[reservationId] = sequence; // its hold entry is still to come
        }
    }

    /// <summary>
    /// Spend counts in the period that contains its recorded time: the current one, or a closed one in
    /// the history — except that spend written to the ledger before a manual reset belongs to the
    /// reset's record, wherever its time lies in the period the reset cut (see <see cref="Reset"/>).
    /// A rolling budget counts it in the bucket of its time, and not at all once that has left the window.
    /// </summary>
    private void ChargeAt(long sequence, DateTimeOffset recordedAt, Amount amount)
    {
        if (_history is not null && (sequence < LastReset || recordedAt < Period.Start))
        {
            var index = sequence < LastReset ? ResetRecordOf(sequence, recordedAt) : -1;
            if (index < 0 && recordedAt < Period.Start)
            {
                index = _history.FindIndex(p => p.Contains(recordedAt));
            }

            if (index >= 0)
            {
                var closed = _history[index];
                var spent = closed.Spent + amount;
                _history[index] = closed with { Spent = spent, FinalState = AdmissionRule.StateOf(Definition with { Limits = closed.Limits }, spent) };
                Recarry(index); // the period's spend decides what it carried over
                return;
            }
        }

        if (Rolling)
        {
            if (recordedAt >= Period.Start)
            {
                var bucket = PeriodCalendar.BucketOf(Definition.Period, recordedAt);
                var buckets = BucketList ??= [];
                buckets[bucket] = buckets.TryGetValue(bucket, out var held) ? held + amount : Tally.Of(amount);
                Spent += amount;
            }

            return; // older than the window: it has left it already
        }

        Spent += amount; // this period, or older than any period kept
    }

    /// <summary>
    /// The reset record that spend written at <paramref name="sequence"/> and recorded at
    /// <paramref name="recordedAt"/> belongs to: of the resets written after it, the first, if its time
    /// lies in the period that reset cut; -1 when none.
    /// </summary>
    private int ResetRecordOf(long sequence, DateTimeOffset recordedAt)
    {
        var found = -1;
        for (var i = 0; i < _history!.Count; i++)
        {
            var record = _history[i];
            if (record.Closed == PeriodCloseKind.ManualReset && record.ResetSequence > sequence && recordedAt >= record.PeriodStart
                && (record.ScheduledEnd is not { } end || recordedAt < end)
                && (found < 0 || record.ResetSequence < _history[found].ResetSequence))
            {
                found = i;
            }
        }

        return found;
    }

    // ----- Time and definition ---------------------------------------------------------------

    /// <summary>
    /// Brings the account to <paramref name="now"/>: closes the period if it has ended (once, however
    /// many periods passed) and drops expired firm holds. Returns whether anything changed.
    /// </summary>
    public bool Advance(DateTimeOffset now) => Advance(now, slide: true);

    private bool Advance(DateTimeOffset now, bool slide)
    {
        var changed = RollOver(now, slide);
        if (changed || (_inForce is { Until: { } until } && now >= until))
        {
            changed |= RefreshLimits(now, force: true);
        }

        if (_book is not { } book)
        {
            return changed;
        }

        while (book.Expiries is { } expiries && expiries.TryPeek(out var id, out var at) && at <= now)
        {
            expiries.Dequeue();
            if (book.Holds is { } holds && holds.TryGetValue(id, out var hold) && hold.ExpiresAt == at)
            {
                holds.Remove(id);
                Reserved -= hold.Amount;
                changed = true;
            }
        }

        if (book.NotHonoured is { Count: > 0 } notHonoured)
        {
            foreach (var (id, _) in notHonoured.Where(n => n.Value <= now).ToList())
            {
                notHonoured.Remove(id);
            }
        }

        return changed;
    }

    public void Redefine(BudgetDefinition definition, DateTimeOffset now)
    {
        var periodChanged = definition.Period != Definition.Period;
        Definition = definition;
        if (periodChanged)
        {
            var period = PeriodCalendar.PeriodContaining(definition.Period, now, CreatedAt);
            if (period != Period)
            {
                File(now, PeriodCloseKind.Changed);
                Period = period;
                _marks = null;
                CarryInRaw = null; // a carry belongs to the period that followed the one it came from
            }
        }

        RefreshLimits(now, force: true);
    }

    /// <summary>Files the current period's spend as history (the budget stops or changes here); held reservations carry over.</summary>
    public void CloseAt(DateTimeOffset end) => File(end, PeriodCloseKind.Changed);

    /// <summary>
    /// Files the current period's spend as history, with what it carries over, and starts from zero;
    /// held reservations carry over.
    /// </summary>
    private PeriodRecord File(DateTimeOffset end, PeriodCloseKind kind, string? reason = null, long resetSequence = 0)
    {
        var limits = InForce.Limits;
        var carriedOut = kind switch
        {
            PeriodCloseKind.Rollover => CarryOver.Out(Definition.CarryOver, Definition.Limits, limits, Spent),
            PeriodCloseKind.ManualReset => CarryInRaw, // the rest of the period keeps what it was given
            _ => null,
        };
        var record = new PeriodRecord(Period.Start, end, Spent, limits, AdmissionRule.StateOf(InForce, Spent), kind, _inForce?.Carried, carriedOut,
            reason, resetSequence, kind == PeriodCloseKind.ManualReset && !Rolling ? Period.End : null); // a window never ends
        (_history ??= []).Insert(0, record);
        if (_history.Count > HistoryCapacity)
        {
            _history.RemoveAt(_history.Count - 1);
        }

        Spent = Tally.Zero;
        BucketList = null;
        return record;
    }

    /// <summary>
    /// A manual reset at <paramref name="at"/> (its ledger entry's time): the current period closes
    /// there into a record marked as a reset, with its reason, and the rest of it starts afresh — same
    /// end (a calendar period still ends on its boundary), no spend, no marks (alerts, grace and
    /// emergency uses start again); holds and carry-over stay. Spend is cut at the entry's place in the
    /// ledger: written before it, it is in the record; after it, in the rest (unless recorded before
    /// the cut, like any late spend). A reset whose time lies in a period that closed already (it was
    /// written as the period ended) cuts that period's record the same way.
    /// </summary>
    private void Reset(DateTimeOffset at, string reason, long sequence)
    {
        LastReset = Math.Max(LastReset, sequence);
        if (at >= Period.Start)
        {
            File(at, PeriodCloseKind.ManualReset, reason, sequence);
            Period = new Period(at, Period.End);
            _marks = null;
            RefreshLimits(at, force: true);
            return;
        }

        // Everything the closed period was charged was written before the reset (spend written after
        // it is applied after it, BudgetGrain.Reset): all of it is the reset's, and the rest is empty.
        var index = _history?.FindIndex(p => p.Contains(at)) ?? -1;
        if (index < 0 || _history![index] is not { Closed: PeriodCloseKind.Rollover } closed)
        {
            return; // older than the history, or a rolling budget's window that has moved on: nothing to cut
        }

        var passed = index + 1 < _history.Count && _history[index + 1].PeriodEnd == closed.PeriodStart ? _history[index + 1].CarriedOut : closed.CarriedIn;
        var rest = new PeriodRecord(at, closed.PeriodEnd, Tally.Zero, closed.Limits,
            AdmissionRule.StateOf(Definition with { Limits = closed.Limits }, Tally.Zero), PeriodCloseKind.Rollover, closed.CarriedIn, closed.CarriedOut);
        _history[index] = rest;
        _history.Insert(index + 1, closed with
        {
            PeriodEnd = at, Closed = PeriodCloseKind.ManualReset, CarriedOut = passed, Reason = reason, ResetSequence = sequence, ScheduledEnd = closed.PeriodEnd,
        });
        Recarry(index);
        if (_history.Count > HistoryCapacity)
        {
            _history.RemoveAt(_history.Count - 1);
        }
    }

    /// <summary>The record a manual reset written at <paramref name="sequence"/> closed, if it is kept.</summary>
    public PeriodRecord? ResetRecord(long sequence) => _history?.Find(r => r.ResetSequence == sequence && r.Closed == PeriodCloseKind.ManualReset);

    /// <summary>
    /// The spend of closed record <paramref name="from"/> changed (late spend, a cut): works out again
    /// what it carried over, and what that changes in each newer period that followed it, the current
    /// one included — so that the account is the same whether spend arrived before or after the
    /// rollover that closed its period.
    /// </summary>
    private void Recarry(int from)
    {
        if (_history is not { } history || Definition.CarryOver is not { } policy)
        {
            return;
        }

        for (var j = from; j >= 0; j--)
        {
            var record = history[j];
            if (j < from)
            {
                var previous = history[j + 1];
                if (previous.PeriodEnd != record.PeriodStart)
                {
                    return; // not the period that followed: nothing newer depends on the change
                }

                var before = CarryOver.Without(record.Limits, record.CarriedIn);
                var carriedIn = CarryOver.Effective(before, previous.CarriedOut);
                var limits = CarryOver.Apply(before, carriedIn);
                record = record with
                {
                    CarriedIn = carriedIn, Limits = limits, FinalState = AdmissionRule.StateOf(Definition with { Limits = limits }, record.Spent),
                };
            }

            var carriedOut = record.Closed switch
            {
                PeriodCloseKind.Rollover => CarryOver.Out(policy, Definition.Limits, record.Limits, record.Spent),
                PeriodCloseKind.ManualReset when j < from => history[j + 1].CarriedOut,
                PeriodCloseKind.ManualReset => record.CarriedOut,
                _ => null,
            };
            var passes = carriedOut != record.CarriedOut;
            history[j] = record with { CarriedOut = carriedOut };
            if (!passes)
            {
                return; // nothing newer changes
            }
        }

        if (history[0].PeriodEnd == Period.Start && history[0].CarriedOut != CarryInRaw)
        {
            CarryInRaw = history[0].CarriedOut;
            RefreshLimits(_inForce?.AsOf ?? Period.Start, force: true);
        }
    }

    public BudgetStatus Status() => Facts().Status();

    private bool RollOver(DateTimeOffset now, bool slide)
    {
        if (Period.End is not { } end || now < end)
        {
            return false;
        }

        if (Rolling)
        {
            if (slide)
            {
                Slide(now);
            }

            return slide;
        }

        // Each period closes with the limits in force in it: its own carry-over, and none of the
        // emergency room taken in the one before.
        File(end, PeriodCloseKind.Rollover);
        NextPeriod(now);
        var current = PeriodCalendar.PeriodContaining(Definition.Period, now, CreatedAt);
        var firstSkipped = PeriodCalendar.PeriodContaining(Definition.Period, end, CreatedAt);

        // Of very many skipped periods only the latest HistoryCapacity are kept: start there.
        var skipped = current;
        for (var back = 0; back < HistoryCapacity && skipped.Start > firstSkipped.Start; back++)
        {
            skipped = PeriodCalendar.PeriodContaining(Definition.Period, skipped.Start.AddTicks(-1), CreatedAt);
        }

        if (skipped.Start > firstSkipped.Start && Definition.CarryOver is not null)
        {
            CarryAcross(firstSkipped, skipped.Start, now);
        }

        while (skipped.Start < current.Start && skipped.End is { } skippedEnd)
        {
            Period = skipped;
            File(skippedEnd, PeriodCloseKind.Rollover);
            NextPeriod(now);
            skipped = PeriodCalendar.PeriodContaining(Definition.Period, skippedEnd, CreatedAt);
        }

        Period = current;
        return true;
    }

    /// <summary>After a rollover: the next period starts without marks, with what the closed one carried over.</summary>
    private void NextPeriod(DateTimeOffset now)
    {
        _marks = null;
        CarryInRaw = History[0].CarriedOut;
        RefreshLimits(now, force: true);
    }

    /// <summary>
    /// The carry through empty periods that are not kept (more than <see cref="HistoryCapacity"/> were
    /// skipped), from <paramref name="first"/> up to <paramref name="until"/>: each passes on what its
    /// limits leave unused. It settles within a few periods (the cap bounds it), and stops there.
    /// </summary>
    private void CarryAcross(Period first, DateTimeOffset until, DateTimeOffset now)
    {
        var before = CarryOver.Without(InForce.Limits, _inForce?.Carried);
        var carry = CarryInRaw;
        for (var period = first; period.Start < until && period.End is { } periodEnd;
             period = PeriodCalendar.PeriodContaining(Definition.Period, periodEnd, CreatedAt))
        {
            var next = CarryOver.Out(Definition.CarryOver, Definition.Limits, CarryOver.Apply(before, carry), Tally.Zero);
            if (next == carry)
            {
                break; // every later empty period passes on the same
            }

            carry = next;
        }

        CarryInRaw = carry;
        RefreshLimits(now, force: true);
    }

    /// <summary>A rolling window moves on to <paramref name="now"/>: buckets that left it no longer count.</summary>
    private void Slide(DateTimeOffset now)
    {
        var window = PeriodCalendar.RollingWindow(Definition.Period, now);
        Period = new Period(window.Start > Period.Start ? window.Start : Period.Start, window.End); // not before a reset
        if (BucketList is not { } buckets)
        {
            return;
        }

        var first = PeriodCalendar.BucketOf(Definition.Period, window.Start);
        while (buckets.Count > 0 && buckets.Keys[0] < first)
        {
            buckets.RemoveAt(0);
        }

        var spent = Tally.Zero;
        foreach (var held in buckets.Values)
        {
            spent += held;
        }

        if (spent != Spent)
        {
            Spent = spent;
        }

        if (buckets.Count == 0)
        {
            BucketList = null;
        }
    }

    /// <summary>Whether <paramref name="instant"/> lies in the period that "once a period" counts in (<see cref="MarksPeriodStart"/>).</summary>
    private bool InMarkedPeriod(DateTimeOffset instant) => Definition.Period is { Type: PeriodType.Rolling, WindowMinutes: { } minutes }
        ? instant >= MarksPeriodStart && instant < MarksPeriodStart.AddMinutes(minutes)
        : Period.Contains(instant);

    // ----- Overrides, emergency room and alerts ------------------------------------------------

    /// <summary>
    /// Works out the limits in force at <paramref name="now"/> (never earlier than they were last
    /// worked out: entries recorded in the past do not bring back expired raises). Returns whether
    /// they changed.
    /// </summary>
    private bool RefreshLimits(DateTimeOffset now, bool force)
    {
        var emergency = Marks is { EmergencyUses: > 0 } marks ? marks.EmergencyRaise : null;
        var before = InForce.Limits;
        if (Definition.Raises.IsEmpty && emergency is null && CarryInRaw is null)
        {
            _inForce = null;
            return before != Definition.Limits;
        }

        if (!force && _inForce is not null)
        {
            return false;
        }

        var asOf = _inForce is { AsOf: var last } && last > now ? last : now;
        var limits = Definition.LimitsAt(asOf);
        if (emergency is not null)
        {
            // Only metrics the budget limits rise; an unlimited one stays unlimited.
            limits = new Limits(limits.Cost + emergency.Cost, limits.Tokens + emergency.Tokens, limits.Operations + emergency.Operations);
        }

        // Carry-over last, so that overage taken from a period stops at zero after every other raise.
        var carried = CarryOver.Effective(limits, CarryInRaw);
        limits = CarryOver.Apply(limits, carried);
        _inForce = new LimitsInForce(Definition with { Limits = limits }, Definition.NextRaiseExpiry(asOf), asOf, carried);
        return limits != before;
    }

    /// <summary>
    /// What the period has newly come to that is worth an alert, once a period each: the highest
    /// alert threshold reached (of the definition's alert policy) and a more severe state. The budget
    /// calls it after each change of its spend and holds; the marks it leaves are in the snapshot.
    /// A forecast overrun is noted apart (<see cref="NoteForecast"/>): forecasting reads the budget's
    /// daily history, which a change of spend must not wait for.
    /// </summary>
    public IReadOnlyList<AlertFact> NoteAlertFacts()
    {
        var definition = InForce;
        var used = Spent + Reserved;
        var utilization = AdmissionRule.Utilization(used, definition.Limits);
        var state = AdmissionRule.StateOf(definition, used);
        var marks = Marks ?? PeriodMarks.Fresh(MarksPeriodStart);
        var (metric, limit) = AdmissionRule.Leading(used, definition.Limits);
        var spent = used.Of(metric);
        List<AlertFact>? facts = null;

        var reached = 0m;
        foreach (var threshold in definition.Alerts?.Thresholds ?? [])
        {
            if (utilization >= threshold)
            {
                reached = threshold;
            }
        }

        if (reached > marks.HighestThreshold)
        {
            (facts ??= []).Add(new AlertFact(AlertFactKind.Threshold, MarksPeriodStart, Period.End, reached, state, utilization, metric, spent, limit));
            marks = marks with { HighestThreshold = reached };
        }

        if (state > marks.HighestState)
        {
            (facts ??= []).Add(new AlertFact(AlertFactKind.State, MarksPeriodStart, Period.End, null, state, utilization, metric, spent, limit));
            marks = marks with { HighestState = state };
        }

        if (facts is null)
        {
            return [];
        }

        _marks = marks;
        return facts;
    }

    /// <summary>
    /// Whether the budget should still be asked about its forecast this period: its alert policy
    /// forecasts, its period ends (not total, not rolling), and no forecast overrun was told yet.
    /// </summary>
    public bool AwaitsForecast => InForce.Alerts is { Forecast: true } && !Rolling && Period.End is not null && Marks is not { ForecastRaised: true };

    /// <summary>
    /// What this period's forecast starts from: the leading metric of spend and holds, what is spent of
    /// it, its limit in force, the period's bounds. Null for a period that never ends (total, rolling).
    /// </summary>
    public ForecastBasis? ForecastBasis()
    {
        if (Rolling || Period.End is not { } end)
        {
            return null;
        }

        var (metric, limit) = AdmissionRule.Leading(Spent + Reserved, InForce.Limits);
        return new ForecastBasis(metric, Spent.Of(metric), limit, Period.Start, end);
    }

    /// <summary>
    /// A forecast overrun worth an alert, once a period: with a forecasting alert policy, when
    /// <paramref name="forecast"/> — made for this period — has its median path pass the limit in
    /// force before the period ends, while spend is still below it (past it, the state has spoken).
    /// </summary>
    /// <remarks>
    /// The forecast was made from the budget's status a moment ago: a period that rolled over since
    /// (its end is another) or a limit raised past the predicted spend since make it say nothing.
    /// </remarks>
    public AlertFact? NoteForecast(Forecast forecast)
    {
        if (!AwaitsForecast || Period.End != forecast.PeriodEnd || forecast.OverrunAt is not { } at || at >= forecast.PeriodEnd)
        {
            return null;
        }

        var definition = InForce;
        var spent = Spent.Of(forecast.Metric);
        if (definition.Limits.Of(forecast.Metric) is not { } limit || spent >= limit || forecast.Predicted.P50 <= limit)
        {
            return null;
        }

        var used = Spent + Reserved;
        _marks = (Marks ?? PeriodMarks.Fresh(MarksPeriodStart)) with { ForecastRaised = true };
        return new AlertFact(AlertFactKind.Forecast, MarksPeriodStart, Period.End, null, AdmissionRule.StateOf(definition, used),
            AdmissionRule.Utilization(used, definition.Limits), forecast.Metric, spent, limit, at, forecast.Predicted.P50);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is not { } x ? b : b is not { } y ? a : x < y ? x : y;

    /// <summary>The limits in force when they differ from the definition's, worked out at <see cref="AsOf"/>, good until <see cref="Until"/>.</summary>
    /// <param name="Carried">What carry-over changed in them (null: nothing).</param>
    private sealed record LimitsInForce(BudgetDefinition Definition, DateTimeOffset? Until, DateTimeOffset AsOf, Amount? Carried = null);

    private void KeepHistory(IEnumerable<PeriodRecord> history)
    {
        List<PeriodRecord> kept = [.. history.Take(HistoryCapacity)];
        _history = kept.Count > 0 ? kept : null;
    }

    private void AddFirm(string id, Hold hold)
    {
        var book = Book;
        var holds = book.Holds ??= new(StringComparer.Ordinal);
        holds[id] = hold;
        Reserved += hold.Amount;
        var expiries = book.Expiries ??= new();
        expiries.Enqueue(id, hold.ExpiresAt);
        if (expiries.Count > 2 * holds.Count + 64)
        {
            // Mostly holds that were committed or released before they expired: start again from the live ones.
            book.Expiries = new PriorityQueue<string, DateTimeOffset>(holds.Select(h => (h.Key, h.Value.ExpiresAt)));
        }
    }

    private bool RemoveTentative(string id)
    {
        if (_book?.Tentative is not { } tentative || !tentative.Remove(id, out var hold))
        {
            return false;
        }

        Pending -= hold.Amount;
        return true;
    }

    /// <summary>A rolling budget's spend in its window, by bucket (<see cref="PeriodCalendar.BucketOf"/>); null while it has none.</summary>
    private SortedList<long, Tally>? BucketList
    {
        get => _extras?.Buckets;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).Buckets = value;
            }
        }
    }

    /// <summary>What carry-over passed into the current period from the one before (before it met the limits); null: nothing.</summary>
    private Amount? CarryInRaw
    {
        get => _extras?.CarryIn;
        set
        {
            if (value is not null || _extras is not null)
            {
                (_extras ??= new()).CarryIn = value;
            }
        }
    }

    /// <summary>
    /// The ledger sequence of the latest manual reset in the history (0: none). Spend written before it
    /// and applied after it may belong to a reset record rather than where its time would put it.
    /// </summary>
    private long LastReset
    {
        get => _extras?.LastReset ?? 0;
        set
        {
            if (value != 0 || _extras is not null)
            {
                (_extras ??= new()).LastReset = value;
            }
        }
    }

    private sealed class PeriodExtras
    {
        public SortedList<long, Tally>? Buckets;
        public Amount? CarryIn;
        public long LastReset;
    }

    /// <summary>What only a budget that holds keeps: made at its first hold (or fence), let go when it is all empty again.</summary>
    private sealed class HoldBook
    {
        public Dictionary<string, Hold>? Holds;
        public Dictionary<string, TentativeHold>? Tentative;

        // Firm holds by expiry. Entries of holds that ended earlier stay until they surface (checked
        // against the hold), and the queue is rebuilt when they outnumber the live ones.
        public PriorityQueue<string, DateTimeOffset>? Expiries;

        // Reservations closed (committed, released, voided) before their hold entry reached this budget,
        // with that entry's sequence: the late hold must not come back. Once the watermark passes that
        // sequence the entry has been applied (and the marker used) or never will be: the marker goes.
        public Dictionary<string, long>? ClosedBeforeHold;

        // Hold entries this budget did not honour, until their reservation is voided (or would have
        // expired): a hold delivered again must get the same answer, not "already applied, so fine".
        public Dictionary<string, DateTimeOffset>? NotHonoured;

        public Tally Reserved = Tally.Zero;
        public Tally Pending = Tally.Zero;
        public long Epoch;
        public long IncarnationStart;

        /// <summary>Lets go of empty collections; true when nothing is left that differs from having no book.</summary>
        public bool Trim()
        {
            if (Holds is { Count: 0 })
            {
                Holds = null;
            }

            if (Holds is null)
            {
                Expiries = null; // whatever is left in the queue belongs to holds that ended
            }

            if (Tentative is { Count: 0 })
            {
                Tentative = null;
            }

            if (ClosedBeforeHold is { Count: 0 })
            {
                ClosedBeforeHold = null;
            }

            if (NotHonoured is { Count: 0 })
            {
                NotHonoured = null;
            }

            return Holds is null && Tentative is null && ClosedBeforeHold is null && NotHonoured is null
                && Reserved == Tally.Zero && Pending == Tally.Zero && Epoch == 0 && IncarnationStart == 0;
        }
    }
}
