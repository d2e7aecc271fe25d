using System.Collections.Immutable;
using System.Diagnostics;
using BudgetActors.Domain;
using BudgetActors.Domain.Reports;
using BudgetActors.Grains.Admission;
using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace BudgetActors.Grains.Reservations;

/// <summary>
/// One reservation, and the reservation protocol (held in memory by a <see cref="ReservationBookGrain"/>,
/// which runs one operation of a reservation at a time):
/// <list type="number">
/// <item>Take a tentative hold on every applicable budget, narrowest first (one global order, so
/// waits cannot form a cycle). A refusal is written under the hold's key — so that a retry, even
/// after this object is gone, answers the same — before the tentative holds are undone. A hold
/// lost with its budget's silo is not a refusal: it is asked again of the activation that replaces
/// it, and so are the holds taken before it, which may have died with the same silo.</item>
/// <item>Write the hold entry, with each budget's epoch. If the ledger fails without saying whether
/// it wrote it, read the key back; if that fails too, answer "unknown, retry with the same key" and
/// leave the tentative holds to lapse — the budgets settle them through the services.Ledger.</item>
/// <item>Confirm: deliver the entry to every budget. Only if every budget honours it (its tentative
/// hold is still of the budget's current epoch) is the reservation granted; otherwise a void entry
/// refuses it after all and frees it everywhere.</item>
/// </list>
/// Commit and release are ledger entries too, naming the hold's sequence. Every retry delivers its
/// entries to the budgets again (they apply each once) and answers with their current state. The
/// ledger is the reservation's only durable state: a reservation not in memory is read back from it
/// when it is next used — or, for a new key, not at all: if the key turns out to be taken, the append
/// says so, and the reservation is read back then.
/// </summary>
internal sealed class Reservation(string tenantId, string reservationId, ReservationServices services)
{
    // The fingerprint of a refusal that a budget wrote when the hold lapsed: the body is not known.
    private const string LapsedFingerprint = "lapsed";

    // How long a tentative hold is asked again of a budget whose silo could not be reached or died
    // (HoldOn): longer than a cluster takes to declare a killed silo dead — about 3 s with the
    // shipped settings, 8–10 s with Orleans' defaults on a loaded machine, when the first call
    // comes back broken — and shorter than the 30-s lease of the holds this reservation already took.
    private static readonly TimeSpan HoldRetryWindow = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FirstHoldRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxHoldRetryDelay = TimeSpan.FromSeconds(1);

    private Status _status;
    private string? _fingerprint;
    private ImmutableSortedDictionary<string, string> _attributes = ImmutableSortedDictionary<string, string>.Empty;
    private Amount _estimate = Amount.Zero;
    private DateTimeOffset _expiresAt;
    private ImmutableArray<string> _heldOn = [];
    private LedgerRecord? _hold;
    private LedgerRecord? _closing;
    private ReserveResult? _reserved;
    private CommitResult? _committed;
    private ReleaseResult? _released;

    // Whether this object saw every budget honour the hold; one read back from the ledger has not.
    private bool _confirmed;

    private enum Status
    {
        None,
        Refused,
        Held,
        Released,
        Committed,
    }

    private bool _loaded;

    private string TenantId => tenantId;

    private string ReservationId => reservationId;

    /// <summary>Granted and not expired: worth keeping in memory for its commit.</summary>
    public bool Open(DateTimeOffset now) => _status == Status.Held && now < _expiresAt;

    /// <summary>Reads the reservation's entries back from the ledger (once).</summary>
    private async Task Load()
    {
        if (_loaded)
        {
            return;
        }

        foreach (var record in await services.Ledger.ReadForReservationAsync(TenantId, ReservationId))
        {
            Restore(record);
        }

        _loaded = true;
    }

    public async Task<ReserveResult> Reserve(ReserveCommand command)
    {
        if (_status != Status.None)
        {
            return await Retry(command);
        }

        // A key new to this book is not read back first: the ledger's unique key says whether it is
        // really new, when the hold (or refusal) is written.

        var view = await services.Directory.RequireAsync(TenantId);
        var budgetIds = view.Scopes.Applicable(command.Attributes);
        var now = services.Clock.GetUtcNow();
        var expiresAt = now + command.Ttl;
        var verdicts = new List<BudgetVerdict>(budgetIds.Length);
        var held = new List<(string Budget, long Epoch)>(budgetIds.Length);
        var refused = false;
        var request = new HoldRequest(ReservationId, command.Estimate, command.Priority, expiresAt);
        var silosLost = false;
        try
        {
            for (var i = 0; i < budgetIds.Length && !refused; i++)
            {
                var (outcome, lost) = await HoldOn(budgetIds[i], request, view.Directory.Version);
                silosLost |= lost;
                if (outcome is null)
                {
                    continue; // deleted since the directory was read: it no longer applies
                }

                verdicts.Add(outcome.Verdict);
                if (outcome.Granted)
                {
                    held.Add((budgetIds[i], outcome.Epoch));
                }
                else
                {
                    refused = true;
                    verdicts.AddRange(await CheckRemaining(budgetIds[(i + 1)..], command, view.Directory.Version));
                }
            }

            // A silo died while the holds were taken: a budget held before may have lived there and
            // lost its tentative hold with it, and its next activation would not honour an entry of
            // the old epoch (step 4 would void the reservation). Each is asked again, in the same
            // order: an activation that has the hold answers with its epoch, a new one takes it anew.
            for (var j = 0; silosLost && !refused && j < held.Count; j++)
            {
                var (again, _) = await HoldOn(held[j].Budget, request, view.Directory.Version);
                if (again is null)
                {
                    continue; // deleted meanwhile: the entry names it, and a deleted budget ignores it
                }

                if (again.Granted)
                {
                    held[j] = (held[j].Budget, again.Epoch);
                }
                else
                {
                    refused = true; // its room went to others while its tentative hold was gone
                    var budget = held[j].Budget;
                    verdicts[verdicts.FindIndex(v => v.Status.BudgetId == budget)] = again.Verdict;
                    held.RemoveAt(j);
                }
            }
        }
        catch
        {
            // A budget failed part-way: what was taken goes back, once the key says no hold will come.
            var failed = new ReserveResult(false, null, null, Decision.Block, null, null, [], command.Estimate, [], EstimateRate: command.EstimateRate);
            await Refuse(command, failed, held.Select(h => h.Budget), answer: false);
            throw;
        }

        var combined = CombinedVerdict.Of(verdicts);
        if (refused)
        {
            var refusal = new ReserveResult(false, null, null, combined.Decision, combined.ThrottleFactor, combined.DowngradeTo,
                combined.BlockedBy, command.Estimate, combined.Budgets, combined.Reasons, command.EstimateRate);
            return await Refuse(command, refusal, held.Select(h => h.Budget), answer: true);
        }

        var granted = new ReserveResult(true, ReservationId, expiresAt, combined.Decision, combined.ThrottleFactor, combined.DowngradeTo,
            combined.BlockedBy, command.Estimate, combined.Budgets, combined.Reasons, command.EstimateRate);
        var entry = new LedgerEntry(TenantId, LedgerKeys.Hold(ReservationId), LedgerEntryKind.Hold, ReservationId, [.. held.Select(h => h.Budget)],
            command.Attributes, command.Estimate, expiresAt, command.Fingerprint, now, services.Serializer.SerializeToArray(granted with { Budgets = [] }),
            Epochs: [.. held.Select(h => h.Epoch)]);

        // Unknown (OutcomeUnknownException) leaves the tentative holds in place on purpose: the entry may
        // yet land, and a budget gives the room back only once the ledger says the hold was not written.
        var appended = await services.Ledger.AppendOrFindAsync(entry);
        var stored = appended.Record;
        if (appended.Duplicate && stored.Entry.Fingerprint != command.Fingerprint)
        {
            await Load(); // the key was used before: this attempt is a retry (or a conflict)
            await UndoHolds(held.Select(h => h.Budget).Where(b => stored.Entry.Kind != LedgerEntryKind.Hold || !stored.Entry.BudgetIds.Contains(b)));
            return await Retry(command);
        }

        Restore(stored, appended.Duplicate ? null : granted);

        // The first entry under the hold's key is this one: there is nothing else to read back.
        _loaded |= !appended.Duplicate;
        if (appended.Duplicate && !_loaded)
        {
            await Load(); // an earlier attempt wrote it: its commit or release may be there too
            if (_status is Status.Committed or Status.Released)
            {
                await UndoHolds(held.Select(h => h.Budget));
                return await Retry(command);
            }
        }

        if (stored.Entry.Kind != LedgerEntryKind.Hold)
        {
            await UndoHolds(held.Select(h => h.Budget)); // a budget settled the lapsed hold first: refused
            return await Answer(command.Fingerprint);
        }

        // Holds this attempt took that the stored entry (an earlier attempt's) does not name go back.
        await UndoHolds(held.Select(h => h.Budget).Where(b => !stored.Entry.BudgetIds.Contains(b)));
        return await Confirm(stored);
    }

    public async Task<CommitResult> Commit(AmountSpec actualSpec)
    {
        await Load();
        switch (_status)
        {
            case Status.Committed:
                return _committed! with { Budgets = await Deliver(_closing!) };
            case Status.None or Status.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
        }

        await RequireConfirmed();

        // The actual amount replaces the hold on the budgets it was taken on.
        var (actual, rate, detail) = await services.Pricer.PriceAsync((await services.Directory.RequireAsync(TenantId)).Directory, actualSpec, _attributes);
        var released = HoldIsLive() ? _estimate : Amount.Zero;
        var record = await Append(LedgerEntryKind.Commit, LedgerKeys.Commit(ReservationId), actual,
            services.Serializer.SerializeToArray(new CommitResult(actual, released, [], rate)), detail);
        return _committed! with { Budgets = await Deliver(record) };
    }

    public async Task<ReleaseResult> Release()
    {
        await Load();
        switch (_status)
        {
            case Status.None or Status.Refused:
                throw BudgetActorsException.ReservationNotFound(ReservationId);
            case Status.Released:
                return _released! with { Budgets = await Deliver(_closing!) };
            case Status.Committed:
                return new ReleaseResult(Amount.Zero, await Deliver(_closing!)); // the commit freed the hold
        }

        await RequireConfirmed();
        var record = await Append(LedgerEntryKind.Release, LedgerKeys.Release(ReservationId), Amount.Zero,
            services.Serializer.SerializeToArray(HoldIsLive() ? _estimate : Amount.Zero));
        return _released! with { Budgets = await Deliver(record) };
    }

    /// <summary>
    /// A commit or release of a hold this activation did not see confirmed (its first answer may never
    /// have reached the client): it is confirmed now, and a hold that a budget did not honour was never
    /// granted — there is nothing to commit or release.
    /// </summary>
    private async Task RequireConfirmed()
    {
        if (!_confirmed && _status == Status.Held && !(await Confirm(_hold!)).Granted)
        {
            throw BudgetActorsException.ReservationNotFound(ReservationId);
        }
    }

    /// <summary>
    /// A tentative hold on one budget, asked again while the call is lost with the budget's silo: a
    /// rejected message never reached the budget, and a call that the cluster broke because it
    /// declared the silo dead (<see cref="SiloUnavailableException"/>, a rejection too) went down with
    /// the activation that got it — and with its tentative hold. Asked again, the hold lands on the
    /// activation that replaces it, with that activation's epoch; an activation that did get the
    /// first request answers the second as the hold it already has. Without this, a silo's death in
    /// the middle of the holds would refuse the reservation for good under its key (step 1's refusal
    /// is written before the holds are undone), though every budget had room.
    /// </summary>
    /// <returns>The budget's answer, and whether a silo was lost on the way (the hold was asked again).</returns>
    private async Task<(HoldOutcome? Outcome, bool SiloLost)> HoldOn(string budgetId, HoldRequest request, long directoryVersion)
    {
        // Bounded in real time, like a budget's wait for tentative holds: a fake clock in tests must not stall it.
        var started = Stopwatch.GetTimestamp();
        var delay = FirstHoldRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await Budget(budgetId).Hold(request, directoryVersion), attempt > 1);
            }
            catch (OrleansMessageRejectionException e) when (Stopwatch.GetElapsedTime(started) + delay < HoldRetryWindow)
            {
                services.Logger.LogInformation("Hold of reservation {Tenant}/{Reservation} on {Budget} was lost with its silo ({Failure}); asking again", TenantId, ReservationId, budgetId, e.GetType().Name);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxHoldRetryDelay.Ticks));
            }
        }
    }

    /// <summary>The same key again: the first outcome, after delivering the reservation's entries once more.</summary>
    private async Task<ReserveResult> Retry(ReserveCommand command)
    {
        if (_fingerprint is not (null or LapsedFingerprint) && _fingerprint != command.Fingerprint)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, "This idempotency key was already used for a reservation with a different body.");
        }

        if (_status == Status.Held)
        {
            return await Confirm(_hold!); // its budgets may not have seen it yet (the first attempt's silo died)
        }

        if (_hold is { } hold)
        {
            await Deliver(hold);
        }

        if (_closing is { } closing)
        {
            await Deliver(closing); // a commit, release or void that a budget may have missed
        }

        return await Answer(command.Fingerprint);
    }

    /// <summary>
    /// Delivers the hold entry to its budgets. Granted only if each honours it; a budget whose epoch
    /// ended since (its tentative hold died with an earlier activation) refuses it, and a void entry
    /// refuses the reservation everywhere.
    /// </summary>
    private async Task<ReserveResult> Confirm(LedgerRecord hold)
    {
        var answers = await Task.WhenAll(hold.Entry.BudgetIds.Select(id => Budget(id).Apply(hold.ToSpendEvent(id))));
        var notHonoured = hold.Entry.BudgetIds.Where((_, i) => answers[i] is { Honoured: false }).ToImmutableArray();
        if (notHonoured.IsEmpty)
        {
            _confirmed = true;
            return _reserved! with { Budgets = [.. answers.OfType<ApplyResult>().Select(a => a.Status)] };
        }

        services.Logger.LogWarning("Reservation {Tenant}/{Reservation} was written after budget(s) {Budgets} lost its tentative hold; it is voided", TenantId, ReservationId, notHonoured);
        var refusal = _reserved! with { Granted = false, ReservationId = null, ExpiresAt = null, Decision = Decision.Block, ThrottleFactor = null, DowngradeTo = null, BlockedBy = notHonoured };
        var stored = (await services.Ledger.AppendOrFindAsync(new LedgerEntry(TenantId, LedgerKeys.Void(ReservationId), LedgerEntryKind.Void, ReservationId,
            hold.Entry.BudgetIds, _attributes, Amount.Zero, null, _fingerprint ?? "", services.Clock.GetUtcNow(), services.Serializer.SerializeToArray(refusal),
            HoldSequence: hold.Sequence))).Record;
        Restore(stored);
        return refusal with { Budgets = await Deliver(stored) };
    }

    /// <summary>
    /// Refuses the reservation: the refusal is written under the hold's key first — so that a retry
    /// answers it even after this activation, and so that no hold can be written under the key any
    /// more — and only then are the tentative holds undone. Undoing first would leave a window in
    /// which a hold written by an earlier attempt under the same key (its write landing late) finds
    /// its tentative hold gone and the room perhaps given away. If an earlier attempt's hold is what
    /// the key holds, that hold is the answer; if the ledger cannot be written, the tentative holds
    /// stay and lapse, and their budgets settle them through the services.Ledger.
    /// </summary>
    private async Task<ReserveResult> Refuse(ReserveCommand command, ReserveResult refusal, IEnumerable<string> held, bool answer)
    {
        var entry = new LedgerEntry(TenantId, LedgerKeys.Hold(ReservationId), LedgerEntryKind.Refusal, ReservationId, [], command.Attributes,
            command.Estimate, null, command.Fingerprint, services.Clock.GetUtcNow(), services.Serializer.SerializeToArray(refusal));
        AppendResult appended;
        try
        {
            appended = await services.Ledger.AppendAsync(entry);
        }
        catch (LedgerUnavailableException e)
        {
            // Nothing is granted, so the refusal is true whatever the ledger says; only its memory is lost.
            services.Logger.LogWarning(e, "Refusal of reservation {Tenant}/{Reservation} not recorded: the ledger is unavailable; its tentative holds lapse", TenantId, ReservationId);
            return refusal;
        }

        var stored = appended.Record;
        Restore(stored, appended.Duplicate ? null : refusal);
        _loaded |= !appended.Duplicate;
        if (stored.Entry.Kind == LedgerEntryKind.Hold)
        {
            return await Confirm(stored); // an earlier attempt under this key was written after all
        }

        await UndoHolds(held);
        return answer ? await Answer(command.Fingerprint) : refusal;
    }

    /// <summary>The reservation's outcome as the ledger holds it, with its budgets as they are now.</summary>
    private async Task<ReserveResult> Answer(string fingerprint)
    {
        if (_fingerprint is not (null or LapsedFingerprint) && _fingerprint != fingerprint)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, "This idempotency key was already used for a reservation with a different body.");
        }

        return _reserved! with { Budgets = await CurrentStatuses() };
    }

    /// <summary>Writes a commit or release of this reservation, with its answer; a retry after a crash finds the first one.</summary>
    private async Task<LedgerRecord> Append(LedgerEntryKind kind, string key, Amount amount, byte[] outcome, SpendDetail? detail = null)
    {
        var appended = await services.Ledger.AppendOrFindAsync(new LedgerEntry(TenantId, key, kind, ReservationId, _heldOn, _attributes,
            amount, null, _fingerprint ?? "", services.Clock.GetUtcNow(), outcome, HoldSequence: _hold?.Sequence, Detail: detail));
        if (kind == LedgerEntryKind.Commit && !appended.Duplicate) BudgetMetrics.Charged(kind, amount);
        Restore(appended.Record);
        return appended.Record;
    }

    /// <summary>
    /// Rebuilds the reservation's state from one of its ledger entries; <paramref name="written"/> is
    /// the outcome this object has just written into it, so that it need not be read back.
    /// </summary>
    private void Restore(LedgerRecord record, ReserveResult? written = null)
    {
        var entry = record.Entry;
        switch (entry.Kind)
        {
            case LedgerEntryKind.Hold:
                _status = _status == Status.None ? Status.Held : _status;
                _hold = record;
                Remember(entry);
                _expiresAt = entry.ExpiresAt ?? entry.RecordedAt;
                _heldOn = entry.BudgetIds;
                _reserved = written ?? services.Serializer.Deserialize<ReserveResult>(entry.Outcome!)!;
                break;
            case LedgerEntryKind.Refusal:
                _status = Status.Refused;
                Remember(entry);
                _reserved = written ?? (entry.Outcome is { } outcome
                    ? services.Serializer.Deserialize<ReserveResult>(outcome)!
                    : new ReserveResult(false, null, null, Decision.Block, null, null, entry.BudgetIds, entry.Amount, []));
                break;
            case LedgerEntryKind.Void:
                _status = Status.Refused;
                _closing = record;
                _reserved = services.Serializer.Deserialize<ReserveResult>(entry.Outcome!)!;
                break;
            case LedgerEntryKind.Release when _status != Status.Committed:
                _status = Status.Released;
                _closing = record;
                _released = new ReleaseResult(services.Serializer.Deserialize<Amount>(entry.Outcome!)!, []);
                break;
            case LedgerEntryKind.Commit:
                _status = Status.Committed;
                _closing = record;
                _committed = CommitOutcome(entry);
                break;
        }
    }

    /// <summary>
    /// A commit's answer as its entry keeps it. Commits keep the whole answer (so a retry names the
    /// exchange rate the first one was charged at); those written before exchange rates existed kept
    /// only the amount released, and are read as such — their bytes are not a CommitResult's (the
    /// first field is a decimal, not an object), which the serializer refuses.
    /// </summary>
    private CommitResult CommitOutcome(LedgerEntry entry)
    {
        try
        {
            return services.Serializer.Deserialize<CommitResult>(entry.Outcome!)! with { Charged = entry.Amount, Budgets = [] };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CommitResult(entry.Amount, services.Serializer.Deserialize<Amount>(entry.Outcome!)!, []);
        }
    }

    private void Remember(LedgerEntry entry)
    {
        _fingerprint = entry.Fingerprint;
        _attributes = entry.Attributes;
        _estimate = entry.Amount;
    }

    /// <summary>Delivers an entry to its budgets again (each applies it once) and returns their statuses.</summary>
    private async Task<ImmutableArray<BudgetStatus>> Deliver(LedgerRecord record)
    {
        var answers = await Task.WhenAll(record.Entry.BudgetIds.Select(id => Budget(id).Apply(record.ToSpendEvent(id))));
        return [.. answers.OfType<ApplyResult>().Select(a => a.Status)];
    }

    private async Task UndoHolds(IEnumerable<string> budgetIds)
    {
        try
        {
            await Task.WhenAll(budgetIds.Select(id => Budget(id).Undo(ReservationId)));
        }
        catch (Exception e)
        {
            // An undo that does not arrive is not lost: the tentative hold lapses and its budget settles it.
            services.Logger.LogWarning(e, "Reservation {Tenant}/{Reservation} could not undo all its tentative holds; they lapse", TenantId, ReservationId);
        }
    }

    /// <summary>After a refusal the budgets further out are asked too, so the answer names every budget that blocks.</summary>
    private async Task<IEnumerable<BudgetVerdict>> CheckRemaining(ImmutableArray<string> budgetIds, ReserveCommand command, long version)
    {
        var verdicts = await Task.WhenAll(budgetIds.Select(id => Budget(id).Check(command.Estimate, command.Priority, version)));
        return verdicts.OfType<BudgetVerdict>();
    }

    private async Task<ImmutableArray<BudgetStatus>> CurrentStatuses()
    {
        var budgets = _heldOn.IsDefaultOrEmpty ? _reserved?.Budgets.Select(b => b.BudgetId).ToImmutableArray() ?? [] : _heldOn;
        return [.. (await Task.WhenAll(budgets.Select(id => Budget(id).GetStatus()))).OfType<BudgetStatus>()];
    }

    private bool HoldIsLive() => _status == Status.Held && services.Clock.GetUtcNow() < _expiresAt;

    private IBudgetGrain Budget(string budgetId) => services.Budget(TenantId, budgetId);
}
