using System.Collections.Immutable;
using CsCheck;

namespace BudgetActors.Domain.Tests.Protocol;

/// <summary>
/// Random interleavings of the reservation protocol on random budget trees: reserve (each step of
/// it), commit, release, a coordinator that dies and a client that retries, expiry, lapsed leases,
/// rollover, redefinition, snapshots and reactivation. After every step: a hard budget never holds
/// past its limit, every budget's account equals the one rebuilt from its snapshot and the ledger,
/// every answer agrees with the ledger, and nothing granted is lost.
/// </summary>
public class ReservationProtocolPropertyTests
{
    private const int Reserve = 0, Step = 1, Die = 2, Retry = 3, Commit = 4, Release = 5, Wait = 6, Reactivate = 7, Snapshot = 8,
        Redefine = 9, Settle = 10, Zombie = 11;

    private sealed record Op(int Kind, int A, int B, int C)
    {
        public override string ToString() => $"{Kind}:{A}:{B}:{C}";
    }

    private sealed record Shape(bool Child, bool Grandchild, bool Sibling, int RootLimit, int ChildLimit, int GrandchildLimit, int SiblingLimit, int Periods);

    private static readonly Gen<Shape> Shapes = Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[60, 400], Gen.Int[40, 200], Gen.Int[20, 150], Gen.Int[20, 150], Gen.Int[0, 26])
        .Select(t => new Shape(t.Item1, t.Item1 && t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8));

    private static readonly Gen<Op> Ops = Gen.Select(
        Gen.Frequency((6, Gen.Const(Reserve)), (20, Gen.Const(Step)), (2, Gen.Const(Die)), (3, Gen.Const(Retry)), (4, Gen.Const(Commit)),
            (2, Gen.Const(Release)), (4, Gen.Const(Wait)), (2, Gen.Const(Reactivate)), (2, Gen.Const(Snapshot)), (1, Gen.Const(Redefine)),
            (2, Gen.Const(Settle)), (2, Gen.Const(Zombie))),
        Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], (kind, a, b, c) => new Op(kind, a, b, c));

    /// <summary>Runs of the property (each a random tree and up to 120 steps); BUDGETACTORS_PROPERTY_RUNS asks for more.</summary>
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("BUDGETACTORS_PROPERTY_RUNS"), out var runs) ? runs : 2000;

    [Fact]
    public void No_interleaving_overspends_loses_a_grant_or_lets_an_account_drift_from_its_ledger() =>
        Gen.Select(Shapes, Ops.Array[1, 120]).Sample((shape, ops) => Run(shape, ops), iter: Runs);

    private static void Run(Shape shape, Op[] ops)
    {
        var world = Build(shape);
        var step = 0;
        var trace = new List<string>();
        foreach (var op in ops)
        {
            step++;
            Apply(world, op);
            trace.Add(Describe(world, op));
            var when = $"after step {step} ({op}) of {shape}:\n  {string.Join("\n  ", trace)}\n ";
            Check(world, when);
            var settled = op.Kind == Wait ? Enumerable.Range(0, world.Budgets.Count) : op.Kind == Settle ? [op.A % world.Budgets.Count] : [];
            foreach (var b in settled)
            {
                var left = world.Budgets[b].Account.Lapsed(world.Now);
                Assert.True(left.Count == 0, $"{when}: budget {b} still holds lapsed tentative holds after settling them: {string.Join(", ", left)}");
            }
        }
    }

    private static ProtocolWorld Build(Shape shape)
    {
        var periods = new[] { PeriodType.Monthly, PeriodType.Daily, PeriodType.Total };
        BudgetDefinition Budget(string id, int limit, int index) => Budgets.Define(id, cost: limit, period: periods[(shape.Periods >> index) % 3]);

        var budgets = new List<BudgetDefinition> { Budget("all", shape.RootLimit, 0) };
        List<ImmutableArray<int>> paths = [[0]];
        if (shape.Child)
        {
            budgets.Add(Budget("a", shape.ChildLimit, 1));
            paths.Add([1, 0]);
            if (shape.Grandchild)
            {
                budgets.Add(Budget("a1", shape.GrandchildLimit, 2));
                paths.Add([budgets.Count - 1, 1, 0]);
            }
        }

        if (shape.Sibling)
        {
            budgets.Add(Budget("b", shape.SiblingLimit, 3));
            paths.Add([budgets.Count - 1, 0]);
        }

        return new ProtocolWorld(budgets, paths);
    }

    private static void Apply(ProtocolWorld world, Op op)
    {
        var reservation = world.Reservations.Count == 0 ? null : world.Reservations[op.A % world.Reservations.Count];
        var budget = op.A % world.Budgets.Count;
        switch (op.Kind)
        {
            case Reserve:
                world.Reservations.Add(new Coordinator($"r{world.Reservations.Count}", op.A % world.Paths.Count,
                    new Amount(1 + op.B % 80, 0, 0), TimeSpan.FromMinutes(1 + op.C % 120)));
                break;
            case Step when reservation is { Live: true }:
                reservation.Step(world);
                break;
            case Die when reservation is { Live: true }:
                reservation.Die();
                break;
            case Retry when reservation is not null && !reservation.Live:
                reservation.Retry(world);
                break;
            case Zombie when reservation is not null:
                reservation.LandZombieWrite(world);
                break;
            case Commit or Release when reservation is not null:
                reservation.Close(world, op.Kind == Commit, op.C % 101 / 100m, b => ((op.B >> b) & 1) == 0);
                break;
            case Wait:
                world.Advance((op.B % 4) switch
                {
                    0 => ProtocolWorld.Lease + TimeSpan.FromSeconds(1),
                    1 => TimeSpan.FromMinutes(10),
                    2 => TimeSpan.FromHours(7),
                    _ => TimeSpan.FromSeconds(5),
                });
                for (var b = 0; b < world.Budgets.Count; b++)
                {
                    world.SettleLapsed(b); // each budget's expiry timer
                }

                break;
            case Reactivate:
                world.Reactivate(budget);
                break;
            case Snapshot:
                world.TakeSnapshot(budget);
                break;
            case Redefine:
                var definition = world.Budgets[budget].Definition;
                world.Redefine(budget, definition with { Limits = definition.Limits with { Cost = definition.Limits.Cost + op.B % 50 } });
                break;
            case Settle:
                world.SettleLapsed(budget);
                break;
        }
    }

    private static string Describe(ProtocolWorld world, Op op)
    {
        var names = new[] { "reserve", "step", "die", "retry", "commit", "release", "wait", "reactivate", "snapshot", "redefine", "settle", "zombie" };
        var reservation = world.Reservations.Count == 0 ? "-" : world.Reservations[op.A % world.Reservations.Count] is var r
            ? $"{r.Id} {r.Stage} answer={r.Answer} closed={r.Closed}" : "-";
        var budgets = string.Join(" | ", world.Budgets.Select((b, i) => $"{i}: s={b.Account.Spent.Cost} r={b.Account.Reserved.Cost} p={b.Account.Pending.Cost} e={b.Account.Epoch}"));
        return $"{names[op.Kind]} {op} [{reservation}] now={world.Now:MM-dd HH:mm:ss} {budgets}";
    }

    private static void Check(ProtocolWorld world, string when)
    {
        for (var b = 0; b < world.Budgets.Count; b++)
        {
            var live = world.Budgets[b].Account;
            var limit = world.Budgets[b].Definition.Limits.Cost!.Value;

            // Never overspend: what is held (firm and in flight) fits beside what was spent. Commits here
            // never exceed their estimate, so only spend committed after its hold expired may pass the
            // limit; anything else that does is a broken protocol.
            var used = live.Spent.Cost + live.Reserved.Cost + live.Pending.Cost;
            Assert.True(used <= limit + world.Budgets[b].LateSpend,
                $"{when}: budget {b} holds {live.Reserved.Cost} + {live.Pending.Cost} in flight beside {live.Spent.Cost} spent ({world.Budgets[b].LateSpend} of it late), past its limit {limit}");

            // The account is what the ledger says: its own state caught up, against its snapshot plus the ledger.
            var caughtUp = BudgetAccount.Restore(live.Snapshot(), world.Now);
            world.CatchUp(caughtUp, b);
            caughtUp.Advance(world.Now);
            var rebuilt = BudgetAccount.Restore(world.Budgets[b].Snapshot!, ProtocolWorld.Start);
            world.CatchUp(rebuilt, b);
            rebuilt.Advance(world.Now);
            Assert.True(Same(caughtUp, rebuilt, out var difference), $"{when}: budget {b} drifted from its ledger: {difference}");

            // Nothing granted is lost.
            foreach (var granted in world.Reservations.Where(r => r.Answer == true && !r.Closed && r.Hold!.Budgets.Contains(b)
                && r.Hold.ExpiresAt > world.Now))
            {
                Assert.True(caughtUp.Holds.ContainsKey(granted.Id), $"{when}: reservation {granted.Id} was granted but budget {b} does not hold it");
            }
        }

        // Every answer agrees with the ledger.
        foreach (var reservation in world.Reservations.Where(r => r.Answer is not null))
        {
            var hold = world.Find("hold:" + reservation.Id);
            var voided = world.Find("void:" + reservation.Id) is not null;
            if (reservation.Answer == true)
            {
                Assert.True(hold?.Kind == LedgerEntryKind.Hold && !voided, $"{when}: {reservation.Id} was granted but the ledger says otherwise");
            }
            else
            {
                Assert.True(hold?.Kind == LedgerEntryKind.Refusal || voided, $"{when}: {reservation.Id} was refused but the ledger holds it");
            }
        }
    }

    private static bool Same(BudgetAccount a, BudgetAccount b, out string difference)
    {
        difference = a.Spent != b.Spent ? $"spent {a.Spent} vs {b.Spent}"
            : a.Reserved != b.Reserved ? $"reserved {a.Reserved} vs {b.Reserved}"
            : !a.Holds.OrderBy(h => h.Key).SequenceEqual(b.Holds.OrderBy(h => h.Key)) ? $"holds {string.Join(",", a.Holds.Keys)} vs {string.Join(",", b.Holds.Keys)}"
            : a.Period != b.Period ? $"period {a.Period} vs {b.Period}"
            : !a.History.Select(h => (h.PeriodStart, h.PeriodEnd, h.Spent)).SequenceEqual(b.History.Select(h => (h.PeriodStart, h.PeriodEnd, h.Spent)))
                ? $"history {string.Join(",", a.History.Select(h => h.Spent.Cost))} vs {string.Join(",", b.History.Select(h => h.Spent.Cost))}"
            : "";
        return difference.Length == 0;
    }
}
