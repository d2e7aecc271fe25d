using System.Collections.ObjectModel;

namespace BudgetActors.Domain.Tests;

/// <summary>
/// An account allocates its collections (and the book of a budget that holds) only when it needs
/// them, and lets them go when they are empty again at a snapshot (<see cref="BudgetAccount.Trim"/>):
/// a silo keeps a million accounts. None of that may change what an account says or does.
/// </summary>
public class LazyAccountTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_account_that_only_spends_keeps_no_collections_and_still_snapshots_every_one()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 100m), Start, Start);
        account.Apply(new SpendEvent(1, LedgerEntryKind.Usage, null, Budgets.Cost(4m), null, Start));
        account.Apply(new SpendEvent(3, LedgerEntryKind.Usage, null, Budgets.Cost(1m), null, Start)); // above the watermark: remembered
        account.AdvanceWatermark(3);
        account.Trim();

        // The shared empty views: nothing was made for holds, and the set of entries above the watermark went with its last entry.
        Assert.Same(ReadOnlyDictionary<string, Hold>.Empty, account.Holds);
        Assert.Same(ReadOnlyDictionary<string, TentativeHold>.Empty, account.Tentative);
        Assert.Same(ReadOnlyDictionary<string, long>.Empty, account.ClosedBeforeHold);
        Assert.Same(ReadOnlyDictionary<string, DateTimeOffset>.Empty, account.NotHonoured);
        Assert.Same(Array.Empty<long>(), account.AppliedAbove);
        Assert.Same(Array.Empty<PeriodRecord>(), account.History);
        Assert.Equal((Tally.Zero, Tally.Zero, 0L, 0L, (DateTimeOffset?)null), (account.Reserved, account.Pending, account.Epoch, account.IncarnationStart, account.NextExpiry));
        Assert.Empty(account.Lapsed(Start.AddYears(1)));

        // Earlier versions read every collection of a snapshot: they are all there, empty.
        var snapshot = account.Snapshot();
        Assert.Equal(5m, snapshot.Spent.Cost);
        Assert.Equal(3, snapshot.Watermark);
        Assert.NotNull(snapshot.Holds);
        Assert.NotNull(snapshot.History);
        Assert.NotNull(snapshot.AppliedAbove);
        Assert.NotNull(snapshot.ClosedBeforeHold);
        Assert.NotNull(snapshot.NotHonoured);
        Assert.Empty(snapshot.Holds);
        Assert.Empty(snapshot.NotHonoured!);
    }

    [Fact]
    public void A_budget_that_held_and_went_quiet_lets_its_collections_go_at_the_next_snapshot()
    {
        var account = new BudgetAccount(Budgets.Define(cost: 100m), Start, Start);
        Assert.Equal(HoldDecision.Granted, account.Reserve("r1", Budgets.Cost(10m)));
        account.TryHold("r2", Budgets.Cost(5m));
        account.Trim(); // holds open: kept
        Assert.Equal(10m, account.Reserved.Cost);
        Assert.Equal(5m, account.Pending.Cost);
        Assert.Equal(Start.AddMinutes(5), account.NextExpiry);

        account.Commit("r1", Budgets.Cost(8m));
        account.Undo("r2");
        account.Trim();

        Assert.Same(ReadOnlyDictionary<string, Hold>.Empty, account.Holds);
        Assert.Same(ReadOnlyDictionary<string, TentativeHold>.Empty, account.Tentative);
        Assert.Equal((Tally.Zero, Tally.Zero, (DateTimeOffset?)null), (account.Reserved, account.Pending, account.NextExpiry));
        Assert.Equal(8m, account.Spent.Cost);

        // And it holds again as before.
        Assert.Equal(HoldDecision.Granted, account.Reserve("r3", Budgets.Cost(92m)));
        Assert.Equal(HoldDecision.Refused, account.TryHold("r4", Budgets.Cost(1m)));
    }

    [Fact]
    public void An_account_trimmed_after_every_step_answers_exactly_as_one_never_trimmed()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            Twins.Run(seed, steps: 250);
        }
    }

    /// <summary>
    /// Two accounts driven by the same random steps of the protocol — tentative holds, their entries
    /// (some of an older epoch), closes before and after their holds, usage in the current and the
    /// previous period, fences, refusals, deliveries out of order and twice, watermark moves, time,
    /// undo and lapses — one of them trimmed after every step: every answer and every state agree.
    /// </summary>
    private sealed class Twins
    {
        private readonly Random _random;
        private readonly BudgetAccount _plain;
        private readonly BudgetAccount _trimmed;
        private readonly List<SpendEvent> _written = [];
        private readonly List<SpendEvent> _undelivered = [];
        private readonly HashSet<long> _delivered = [];
        private readonly Dictionary<string, long> _holdSequences = [];
        private DateTimeOffset _now = Start;
        private long _sequence;

        private Twins(int seed)
        {
            _random = new Random(seed);
            var definition = Budgets.Define(cost: 100m, mode: seed % 3 == 0 ? EnforcementMode.Soft : EnforcementMode.Hard, period: PeriodType.Daily);
            _plain = new BudgetAccount(definition, Start, Start);
            _trimmed = new BudgetAccount(definition, Start, Start);
        }

        public static void Run(int seed, int steps)
        {
            var twins = new Twins(seed);
            for (var step = 0; step < steps; step++)
            {
                twins.Step();
                twins._trimmed.Trim();
                twins.AssertSame($"seed {seed}, step {step}");
            }
        }

        private string Reservation() => $"r{_random.Next(8)}";

        private Amount Amount() => Budgets.Cost(_random.Next(1, 30));

        private void Step()
        {
            switch (_random.Next(12))
            {
                case 0:
                case 1:
                {
                    var request = new HoldRequest(Reservation(), Amount(), 0, _now.AddMinutes(_random.Next(1, 90)));
                    var leaseUntil = _now.AddSeconds(30);
                    Assert.Equal(_plain.TryHold(request, leaseUntil), _trimmed.TryHold(request, leaseUntil));
                    break;
                }
                case 2:
                {
                    // A hold entry, now and then of an epoch older than the budget's.
                    var reservation = Reservation();
                    var epoch = _plain.Epoch > 0 && _random.Next(4) == 0 ? _plain.Epoch - 1 : _plain.Epoch;
                    var entry = Write(LedgerEntryKind.Hold, reservation, Amount(), _now.AddMinutes(_random.Next(1, 90)), _now, epoch: epoch);
                    _holdSequences[reservation] = entry.Sequence;
                    break;
                }
                case 3:
                {
                    // A close naming its hold's sequence, or one still to be written (a close delivered first).
                    var reservation = Reservation();
                    var kind = _random.Next(3) switch { 0 => LedgerEntryKind.Commit, 1 => LedgerEntryKind.Release, _ => LedgerEntryKind.Void };
                    var holdSequence = _holdSequences.TryGetValue(reservation, out var held) ? held : _sequence + 1 + _random.Next(3);
                    Write(kind, reservation, kind == LedgerEntryKind.Commit ? Amount() : BudgetActors.Amount.Zero, null, _now, holdSequence);
                    break;
                }
                case 4:
                    Write(LedgerEntryKind.Usage, null, Amount(), null, _random.Next(3) == 0 ? _now.AddDays(-1) : _now);
                    break;
                case 5:
                    Write(_random.Next(2) == 0 ? LedgerEntryKind.Fence : LedgerEntryKind.Refusal, Reservation(), BudgetActors.Amount.Zero, null, _now);
                    break;
                case 6:
                case 7:
                    if (_undelivered.Count > 0)
                    {
                        var entry = _undelivered[_random.Next(_undelivered.Count)];
                        _undelivered.Remove(entry);
                        Deliver(entry);
                    }

                    break;
                case 8:
                    if (_written.Count > 0)
                    {
                        Deliver(_written[_random.Next(_written.Count)]); // delivered again, or read before it was delivered
                    }

                    break;
                case 9:
                {
                    // The watermark moves to the end of what was read in order, as a catch-up moves it.
                    var watermark = _plain.Watermark;
                    while (_delivered.Contains(watermark + 1))
                    {
                        watermark++;
                    }

                    _plain.AdvanceWatermark(watermark);
                    _trimmed.AdvanceWatermark(watermark);
                    break;
                }
                case 10:
                    _now = _now.AddMinutes(_random.Next(4) == 0 ? _random.Next(600, 3000) : _random.Next(0, 45));
                    Assert.Equal(_plain.Advance(_now), _trimmed.Advance(_now));
                    break;
                default:
                {
                    var reservation = Reservation();
                    Assert.Equal(_plain.Undo(reservation), _trimmed.Undo(reservation));
                    Assert.Equal(_plain.Lapsed(_now).Order(StringComparer.Ordinal), _trimmed.Lapsed(_now).Order(StringComparer.Ordinal)); // in no order
                    break;
                }
            }
        }

        private SpendEvent Write(LedgerEntryKind kind, string? reservation, Amount amount, DateTimeOffset? expiresAt, DateTimeOffset recordedAt,
            long? holdSequence = null, long epoch = 0)
        {
            var entry = new SpendEvent(++_sequence, kind, reservation, amount, expiresAt, recordedAt, holdSequence, epoch);
            _written.Add(entry);
            _undelivered.Add(entry);
            return entry;
        }

        private void Deliver(SpendEvent entry)
        {
            _delivered.Add(entry.Sequence);
            Assert.Equal(_plain.Apply(entry), _trimmed.Apply(entry));
        }

        private void AssertSame(string where)
        {
            var (a, b) = (_plain.Snapshot(), _trimmed.Snapshot());
            Assert.True((a.Definition, a.CreatedAt, a.Period, a.Spent, a.Watermark, a.Epoch, a.IncarnationStart)
                == (b.Definition, b.CreatedAt, b.Period, b.Spent, b.Watermark, b.Epoch, b.IncarnationStart), where);
            Assert.True(a.History.SequenceEqual(b.History), where);
            Assert.True(a.AppliedAbove.SequenceEqual(b.AppliedAbove), where);
            Assert.True(Same(a.Holds, b.Holds) && Same(a.ClosedBeforeHold, b.ClosedBeforeHold) && Same(a.NotHonoured!, b.NotHonoured!), where);
            Assert.True(Same(_plain.Tentative, _trimmed.Tentative), where);
            Assert.True((_plain.Reserved, _plain.Pending) == (_trimmed.Reserved, _trimmed.Pending), where);

            // The next expiry may be early (an entry of a hold that ended before it expired has not
            // surfaced yet), never late. Letting an empty queue go drops such entries, so the trimmed
            // account is early less often; both are never later than the first firm hold to expire.
            DateTimeOffset? firstToExpire = a.Holds.Count == 0 ? null : a.Holds.Values.Min(h => h.ExpiresAt);
            Assert.True(firstToExpire is null ? _plain.NextExpiry is null && _trimmed.NextExpiry is null
                : _plain.NextExpiry <= _trimmed.NextExpiry && _trimmed.NextExpiry <= firstToExpire, where);
            Assert.True(_plain.Facts() with { NextExpiry = null } == _trimmed.Facts() with { NextExpiry = null }, where);
        }

        private static bool Same<TValue>(IReadOnlyDictionary<string, TValue> a, IReadOnlyDictionary<string, TValue> b) =>
            a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && Equals(e.Value, other));
    }
}
