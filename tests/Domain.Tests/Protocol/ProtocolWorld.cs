using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests.Protocol;

/// <summary>One ledger entry as the model's ledger keeps it.</summary>
internal sealed record Entry(long Sequence, LedgerEntryKind Kind, string Key, string? Reservation, ImmutableArray<int> Budgets,
    ImmutableArray<long> Epochs, Amount Amount, DateTimeOffset? ExpiresAt, DateTimeOffset RecordedAt, long? HoldSequence)
{
    public SpendEvent ToSpendEvent(int budget)
    {
        var index = Budgets.IndexOf(budget);
        var epoch = Epochs.IsDefaultOrEmpty || index < 0 ? 0 : Epochs[index];
        return new SpendEvent(Sequence, Kind, Reservation, Amount, ExpiresAt, RecordedAt, HoldSequence, epoch);
    }
}

/// <summary>
/// The reservation protocol of the grains, step by step, over real <see cref="BudgetAccount"/>s and a
/// ledger with unique keys, so that a property test can interleave its steps at will: coordinators
/// that pause between any two steps or die, budget activations that lose their memory, leases that
/// lapse, snapshots, expiry, rollover and redefinition. It mirrors Grains' Reservation and BudgetGrain:
/// take tentative holds narrowest first (fencing a budget's activation before its first hold), write
/// the hold with each budget's epoch, deliver it, void it if a budget did not honour it; budgets
/// settle a lapsed tentative hold by storing a refusal under the hold's key.
/// </summary>
internal sealed class ProtocolWorld
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly List<Entry> _ledger = [];
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private long _sequence;
    private int _activations;

    public ProtocolWorld(IReadOnlyList<BudgetDefinition> budgets, IReadOnlyList<ImmutableArray<int>> paths)
    {
        Paths = paths;
        // A budget grain writes its snapshot when it is defined: there is always one to restore from.
        Budgets = [.. budgets.Select(d => new BudgetAccount(d, Start, Start)).Select(a => new BudgetActivation(a.Definition, a) { Snapshot = a.Snapshot() })];
    }

    public DateTimeOffset Now { get; private set; } = Start;

    public IReadOnlyList<BudgetActivation> Budgets { get; }

    /// <summary>Each path is a chain of budgets from the narrowest to the widest: the budgets one reservation applies to.</summary>
    public IReadOnlyList<ImmutableArray<int>> Paths { get; }

    public List<Coordinator> Reservations { get; } = [];

    public IReadOnlyList<Entry> Ledger => _ledger;

    public Entry? Find(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>Appends unless the key is taken; returns the entry stored under the key either way.</summary>
    public Entry Append(LedgerEntryKind kind, string key, string? reservation, ImmutableArray<int> budgets, Amount amount,
        DateTimeOffset? expiresAt = null, long? holdSequence = null, ImmutableArray<long> epochs = default)
    {
        if (_byKey.TryGetValue(key, out var stored))
        {
            return stored;
        }

        var entry = new Entry(++_sequence, kind, key, reservation, budgets, epochs.IsDefault ? [] : epochs, amount, expiresAt, Now, holdSequence);
        _ledger.Add(entry);
        _byKey[key] = entry;
        return entry;
    }

    public void Advance(TimeSpan by)
    {
        Now += by;
        foreach (var budget in Budgets)
        {
            budget.Account.Advance(Now);
        }
    }

    /// <summary>What a budget's expiry timer does: settle every tentative hold whose lease ran out.</summary>
    public void SettleLapsed(int budget)
    {
        var activation = Budgets[budget];
        foreach (var reservation in activation.Account.Lapsed(Now).ToList())
        {
            var stored = Append(LedgerEntryKind.Refusal, "hold:" + reservation, reservation, [budget], Amount.Zero);
            if (stored.Budgets.Contains(budget))
            {
                Deliver(stored, budget);
            }
            else
            {
                activation.Account.Undo(reservation);
            }
        }
    }

    /// <summary>A budget's activation goes (a silo crash): tentative holds and undelivered state with it. The next one is its snapshot plus the ledger.</summary>
    public void Reactivate(int budget)
    {
        var old = Budgets[budget];
        var account = BudgetAccount.Restore(old.Snapshot!, Now);
        old.Replace(account);
        CatchUp(budget);
        account.Advance(Now);
    }

    /// <summary>A snapshot, written as the grain writes it: after catching up, and letting go of the account's empty collections after.</summary>
    public void TakeSnapshot(int budget)
    {
        CatchUp(budget);
        Budgets[budget].Snapshot = Budgets[budget].Account.Snapshot();
        Budgets[budget].Account.Trim();
    }

    public void Redefine(int budget, BudgetDefinition definition)
    {
        Budgets[budget].Definition = definition;
        Budgets[budget].Account.Redefine(definition, Now);
    }

    /// <summary>Reads the ledger after the watermark, as a grain catching up does.</summary>
    public void CatchUp(int budget) => CatchUp(Budgets[budget].Account, budget, e => Deliver(_ledger.First(x => x.Sequence == e.Sequence), budget));

    public void CatchUp(BudgetAccount account, int budget) => CatchUp(account, budget, e => account.Apply(e));

    private void CatchUp(BudgetAccount account, int budget, Func<SpendEvent, ApplyOutcome> apply)
    {
        var last = 0L;
        foreach (var entry in _ledger.Where(e => e.Sequence > account.Watermark && e.Budgets.Contains(budget)))
        {
            apply(entry.ToSpendEvent(budget));
            last = entry.Sequence;
        }

        account.AdvanceWatermark(last);
    }

    /// <summary>The activation's epoch, fencing it first (a fence entry, then reading the ledger up to it).</summary>
    public long Epoch(int budget)
    {
        var activation = Budgets[budget];
        if (activation.Epoch is { } epoch)
        {
            return epoch;
        }

        var fence = Append(LedgerEntryKind.Fence, $"fence:{budget}:{++_activations}", null, [budget], Amount.Zero);
        CatchUp(budget);
        activation.Epoch = fence.Sequence;
        return fence.Sequence;
    }

    public ApplyOutcome Deliver(Entry entry, int budget)
    {
        NoteLateCommit(entry, budget);
        return Budgets[budget].Account.Apply(entry.ToSpendEvent(budget));
    }

    /// <summary>
    /// A commit that first reaches a budget after its hold expired there: the budget may have given the
    /// room away by then, and the spend (recorded, never refused) may pass the limit.
    /// </summary>
    private void NoteLateCommit(Entry entry, int budget)
    {
        var activation = Budgets[budget];
        if (entry.Kind == LedgerEntryKind.Commit && activation.SeenCommits.Add(entry.Sequence)
            && _ledger.FirstOrDefault(e => e.Sequence == entry.HoldSequence) is { ExpiresAt: { } expiresAt } && Now >= expiresAt)
        {
            activation.AddLateSpend(PeriodCalendar.PeriodContaining(activation.Definition.Period, entry.RecordedAt, Start).Start, entry.Amount.Cost);
        }
    }
}

/// <summary>One budget: its current activation's account, its last snapshot, its epoch.</summary>
internal sealed class BudgetActivation(BudgetDefinition definition, BudgetAccount account)
{
    public BudgetDefinition Definition { get; set; } = definition;

    public BudgetAccount Account { get; private set; } = account;

    public BudgetSnapshotData? Snapshot { get; set; }

    public long? Epoch { get; set; }

    /// <summary>Spend of the current period committed after its hold expired here: it may pass the limit, nothing else may.</summary>
    public decimal LateSpend => _lateSpend.GetValueOrDefault(Account.Period.Start);

    /// <summary>Commit entries this budget has seen (in any activation).</summary>
    public HashSet<long> SeenCommits { get; } = [];

    private readonly Dictionary<DateTimeOffset, decimal> _lateSpend = [];

    public void AddLateSpend(DateTimeOffset period, decimal cost) => _lateSpend[period] = _lateSpend.GetValueOrDefault(period) + cost;

    public void Replace(BudgetAccount account)
    {
        Account = account;
        Epoch = null;
    }
}
