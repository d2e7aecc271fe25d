namespace BudgetActors.Domain.Tests.Protocol;

/// <summary>
/// One reservation's coordinator, a step at a time (the protocol of Grains' Reservation): take the tentative
/// holds, write the hold, deliver it, void it if a budget did not honour it. It can die between any
/// two steps; a retry under the same key reads the ledger and carries on from there.
/// </summary>
internal sealed class Coordinator(string id, int path, Amount amount, TimeSpan ttl)
{
    private readonly List<(int Budget, long Epoch)> _taken = [];
    private int _next;
    private DateTimeOffset _expiresAt;
    private bool _started;

    public string Id { get; } = id;

    public int Path { get; } = path;

    public Amount Amount { get; } = amount;

    public Stage Stage { get; private set; } = Stage.Holding;

    /// <summary>The hold entry, once written.</summary>
    public Entry? Hold { get; private set; }

    /// <summary>What the client was last told: null (nothing yet, or the call failed), true (granted), false (refused).</summary>
    public bool? Answer { get; private set; }

    /// <summary>Committed or released: the hold is over.</summary>
    public bool Closed { get; private set; }

    public bool Live => Stage is not (Stage.Done or Stage.Dead);

    public void Step(ProtocolWorld world)
    {
        if (!_started)
        {
            _started = true;
            _expiresAt = world.Now + ttl;
        }

        switch (Stage)
        {
            case Stage.Holding when _next < world.Paths[Path].Length:
                TakeNextHold(world);
                break;
            case Stage.Holding:
                Write(world);
                break;
            case Stage.Delivering:
                Confirm(world);
                break;
            case Stage.Refusing:
                var stored = world.Append(LedgerEntryKind.Refusal, "hold:" + Id, Id, [], Amount);
                if (stored.Kind == LedgerEntryKind.Hold)
                {
                    Hold = stored;
                    Stage = Stage.Delivering;
                    Confirm(world);
                }
                else
                {
                    Undo(world, _taken.Select(t => t.Budget)); // the key is settled: no hold can come any more
                    Finish(false);
                }

                break;
        }
    }

    /// <summary>The coordinator's silo dies: its tentative holds stay where they are, to lapse.</summary>
    public void Die()
    {
        _diedWhileHolding = Stage == Stage.Holding && _next == _taken.Count && _taken.Count > 0;
        Stage = Stage.Dead;
    }

    private bool _diedWhileHolding;

    /// <summary>
    /// The write a coordinator sent before it died lands anyway (the database committed it after the
    /// connection was gone): its hold entry appears, and nobody delivers it.
    /// </summary>
    public void LandZombieWrite(ProtocolWorld world)
    {
        if (Stage == Stage.Dead && _diedWhileHolding)
        {
            _diedWhileHolding = false;
            world.Append(LedgerEntryKind.Hold, "hold:" + Id, Id, [.. _taken.Select(t => t.Budget)], Amount, _expiresAt,
                epochs: [.. _taken.Select(t => t.Epoch)]);
        }
    }

    /// <summary>The client retries with the same key: a new coordinator reads the ledger and answers from it.</summary>
    public void Retry(ProtocolWorld world)
    {
        switch (world.Find("hold:" + Id))
        {
            case { Kind: LedgerEntryKind.Hold } hold:
                Hold = hold;
                Stage = Stage.Delivering;
                if (world.Find("void:" + Id) is not null || Closed)
                {
                    Finish(world.Find("void:" + Id) is null);
                    return;
                }

                Confirm(world);
                break;
            case { } refusal:
                Finish(false);
                break;
            default:
                _taken.Clear();
                _next = 0;
                _started = false;
                Stage = Stage.Holding;
                break;
        }
    }

    /// <summary>
    /// The client commits (actual ≤ estimate) or releases: a granted reservation, or one whose answer it
    /// never got but whose hold the ledger holds. The reservation confirms its hold first (as its grain
    /// does when it has not in this activation): a hold a budget did not honour is voided, and there is
    /// nothing to commit. The entry may reach some budgets only later.
    /// </summary>
    public void Close(ProtocolWorld world, bool commit, decimal share, Func<int, bool> deliverNow)
    {
        if (Answer == false || Closed || world.Find("void:" + Id) is not null || world.Find("hold:" + Id) is not { Kind: LedgerEntryKind.Hold } hold)
        {
            return;
        }

        Hold = hold;
        if (Answer != true)
        {
            Confirm(world);
            if (Answer != true)
            {
                return;
            }
        }

        var actual = commit ? new Amount(Amount.RoundCost(Amount.Cost * share), 0, 0) : Amount.Zero;
        var entry = world.Append(commit ? LedgerEntryKind.Commit : LedgerEntryKind.Release, (commit ? "commit:" : "release:") + Id, Id,
            hold.Budgets, actual, holdSequence: hold.Sequence);
        Closed = true;
        foreach (var budget in entry.Budgets.Where(deliverNow))
        {
            world.Deliver(entry, budget);
        }
    }

    private void TakeNextHold(ProtocolWorld world)
    {
        var budget = world.Paths[Path][_next];
        var epoch = world.Epoch(budget);
        var (decision, _) = world.Budgets[budget].Account.TryHold(new HoldRequest(Id, Amount, 0, _expiresAt), world.Now + ProtocolWorld.Lease);
        switch (decision)
        {
            case HoldDecision.Granted:
                _taken.Add((budget, epoch));
                _next++;
                break;
            case HoldDecision.Refused:
                Stage = Stage.Refusing; // the refusal is written first, and other things happen before it lands
                break;
            case HoldDecision.WaitForTentative:
                break; // the grain waits for tentative holds to settle: here, try again at a later step
        }
    }

    private void Write(ProtocolWorld world)
    {
        var stored = world.Append(LedgerEntryKind.Hold, "hold:" + Id, Id, [.. _taken.Select(t => t.Budget)], Amount, _expiresAt,
            epochs: [.. _taken.Select(t => t.Epoch)]);
        if (stored.Kind != LedgerEntryKind.Hold)
        {
            Undo(world, _taken.Select(t => t.Budget)); // a budget settled a lapsed hold first
            Finish(false);
            return;
        }

        Hold = stored;
        Undo(world, _taken.Select(t => t.Budget).Where(b => !stored.Budgets.Contains(b)));
        Stage = Stage.Delivering;
    }

    private void Confirm(ProtocolWorld world)
    {
        var hold = Hold!;
        var notHonoured = hold.Budgets.Where(b => world.Deliver(hold, b) == ApplyOutcome.HoldNotHonoured).ToList();
        if (notHonoured.Count == 0)
        {
            Finish(true);
            return;
        }

        var voided = world.Append(LedgerEntryKind.Void, "void:" + Id, Id, hold.Budgets, Amount.Zero, holdSequence: hold.Sequence);
        foreach (var budget in voided.Budgets)
        {
            world.Deliver(voided, budget);
        }

        Finish(false);
    }

    private void Undo(ProtocolWorld world, IEnumerable<int> budgets)
    {
        foreach (var budget in budgets)
        {
            world.Budgets[budget].Account.Undo(Id);
        }
    }

    private void Finish(bool granted)
    {
        Answer = granted;
        Stage = Stage.Done;
    }
}

internal enum Stage
{
    Holding,
    Refusing,
    Delivering,
    Done,
    Dead,
}
