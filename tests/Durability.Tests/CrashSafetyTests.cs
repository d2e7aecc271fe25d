using BudgetActors.Domain;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BudgetActors.Durability.Tests.Infrastructure;
using BudgetActors.Grains.Admission;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// The issue's crash test: thousands of charges sent concurrently over HTTP while silos are killed
/// with SIGKILL and restarted. Clients retry with the same idempotency key and body until answered;
/// afterwards every acknowledged charge is in budget_ledger exactly once, and the budgets, rebuilt
/// from storage after every silo was killed again, show exactly the acknowledged spend.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class CrashSafetyTests(DurableClusterFixture fixture, ITestOutputHelper output)
{
    private const int Usages = 3000;
    private const int ReserveCommitPairs = 500;
    private const int ConcurrentClients = 32;
    private const string ProjectAttributes = """{ "project": "atlas" }""";

    /// <summary>Where the load stands when each silo is killed (fractions of the charges acknowledged).</summary>
    private static readonly double[] KillPoints = [0.15, 0.55];

    private static readonly TimeSpan LoadDeadline = TimeSpan.FromMinutes(2.5);

    [Fact]
    public async Task Every_acknowledged_charge_is_in_the_ledger_once_and_in_the_budgets_after_kill_9_of_silos_under_load()
    {
        var cluster = fixture.Cluster;
        var tenant = await fixture.NewTenantAsync("crash");
        await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 1000000000 } }""");
        await tenant.PutBudgetAsync("atlas", """{ "scope": { "project": "atlas" }, "period": { "type": "total" }, "limits": { "cost": 1000000000 } }""");

        var charges = PlanCharges();
        var pending = new ConcurrentQueue<Charge>(charges);
        var acknowledged = new ConcurrentBag<AcknowledgedCharge>();
        var failures = new ConcurrentBag<string>();
        var tally = new RetryTally();
        var client = new Acknowledged(cluster.Api, tally);
        var deadline = DateTime.UtcNow + LoadDeadline;
        var clock = Stopwatch.StartNew();
        cluster.Note($"load of {charges.Count} charges starts");

        var hold = new LoadHold();
        var clients = Enumerable.Range(0, ConcurrentClients).Select(_ => Task.Run(async () =>
        {
            while (await hold.WaitAsync(() => acknowledged.Count + failures.Count) && pending.TryDequeue(out var charge))
            {
                try
                {
                    acknowledged.Add(await SendAsync(client, tenant, charge, deadline));
                }
                catch (Exception e) when (e is TimeoutException or UnexpectedAnswerException)
                {
                    failures.Add($"{charge.Key}: {e.Message}");
                }
            }
        })).ToArray();
        var kills = await KillSilosDuringLoadAsync(cluster, () => acknowledged.Count + failures.Count, charges.Count, clock, hold);
        await Task.WhenAll(clients);
        var loadTime = clock.Elapsed;
        cluster.Note("load done");

        Assert.True(failures.IsEmpty, $"{failures.Count} charges were not acknowledged:{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Take(20)) + Environment.NewLine + cluster.Diagnostics());
        Assert.All(kills, kill => Assert.True(kill.AcknowledgedBefore < charges.Count, $"Silo {kill.Silo} was killed only after the load."));

        // Every acknowledged charge is in the ledger exactly once, with its amount; nothing else is.
        var rows = await tenant.LedgerRowsAsync();
        var charged = rows.Where(r => r.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit).GroupBy(r => r.EntryKey).ToDictionary(g => g.Key, g => g.ToList());
        var expected = acknowledged.ToDictionary(a => a.EntryKey);
        var missing = expected.Keys.Except(charged.Keys).ToList();
        var unexpected = charged.Keys.Except(expected.Keys).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged charges are not in budget_ledger, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} charges in budget_ledger were never acknowledged, e.g. {string.Join(", ", unexpected.Take(5))}");
        Assert.All(charged, row => Assert.True(row.Value.Count == 1 && row.Value[0].Cost == expected[row.Key].Cost,
            $"{row.Key}: {row.Value.Count} rows, cost {string.Join("/", row.Value.Select(r => r.Cost))}, acknowledged {expected[row.Key].Cost}"));
        Assert.Equal(ReserveCommitPairs, rows.Count(r => r.Kind == LedgerEntryKind.Hold));
        Assert.DoesNotContain(rows, r => r.Kind == LedgerEntryKind.Release);

        var total = acknowledged.Sum(a => a.Cost);
        var atlas = acknowledged.Where(a => a.Charge.InAtlas).Sum(a => a.Cost);
        Assert.Equal(total, rows.Where(r => r.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit).Sum(r => r.Cost));

        // The live budgets catch up with whatever a killed silo had written but not delivered.
        var caughtUp = Stopwatch.StartNew();
        await Eventually.HoldsAsync(async () => Json.Decimal((await tenant.BudgetStatusAsync("all"))["cost"]!["spent"]) == total,
            TimeSpan.FromSeconds(30), $"the live budget 'all' shows the acknowledged spend {total}", cluster.Diagnostics);
        var catchUpTime = caughtUp.Elapsed;

        // Rebuilt from snapshot + ledger after every silo is killed again: exactly the acknowledged spend.
        await cluster.CrashAndRestartAllSilosAsync();
        await AssertBudgetAsync(tenant, "all", total, charges.Count);
        await AssertBudgetAsync(tenant, "atlas", atlas, charges.Count(c => c.InAtlas));

        var figures =
            $"{charges.Count} charges ({Usages} usages, {ReserveCommitPairs} reserve→commit pairs) from {ConcurrentClients} concurrent clients, " +
            $"all acknowledged in {loadTime.TotalSeconds:0.0} s ({charges.Count / loadTime.TotalSeconds:0} charges/s); " +
            $"{tally}, of which {acknowledged.Count(a => a.Duplicate)} usages were answered duplicate: true (an earlier attempt had recorded them); silos killed with SIGKILL at {string.Join(" and ", kills.Select(k => $"{k.At.TotalSeconds:0.0} s with {k.AcknowledgedBefore} acknowledged (silo {k.Silo}, active again after {k.Downtime.TotalSeconds:0.0} s)"))}; " +
            $"ledger: {charged.Count} charge rows, exactly once each, total {total}; live budget caught up {catchUpTime.TotalSeconds:0.0} s after the load; " +
            $"after every silo was killed again and restarted: 'all' spent {total}, 'atlas' spent {atlas}. " +
            $"(API host stopped from outside and restarted during the run: {cluster.ApiHostRestarts} times.)";
        output.WriteLine(figures);
        await File.WriteAllTextAsync(Path.Combine(HostBinaries.LogDirectory, "crash-safety-figures.txt"), figures);
    }

    private static async Task AssertBudgetAsync(TestTenant tenant, string budgetId, decimal spent, int operations)
    {
        var status = await tenant.BudgetStatusAsync(budgetId);
        Assert.Equal(spent, Json.Decimal(status["cost"]!["spent"]));
        Assert.Equal(0m, Json.Decimal(status["cost"]!["reserved"]));
        Assert.Equal(operations, status["operations"]!["spent"]!.GetValue<long>());
    }

    /// <summary>
    /// Kills each silo in turn once the load has reached its kill point, restarting it at once. While
    /// a killed silo comes back, the load does not go past the next kill point: the survivor serves
    /// the load at full speed meanwhile, and a restart on this machine can outlast the rest of it.
    /// </summary>
    private static async Task<List<Kill>> KillSilosDuringLoadAsync(DurableCluster cluster, Func<int> answered, int total, Stopwatch load, LoadHold hold)
    {
        var kills = new List<Kill>();
        var resumed = 0;
        for (var silo = 0; silo < KillPoints.Length; silo++)
        {
            // After a hold, the callers first get going again: the kill finds charges in flight.
            while (answered() < Math.Max(total * KillPoints[silo], resumed + ConcurrentClients))
            {
                await Task.Delay(20);
            }

            var acknowledgedBefore = answered();
            var at = load.Elapsed;
            await cluster.KillSiloAsync(silo);
            if (silo + 1 < KillPoints.Length)
            {
                hold.At((int)Math.Ceiling(total * KillPoints[silo + 1]));
            }

            await cluster.RestartSiloAsync(silo);
            hold.Release();
            resumed = answered();
            kills.Add(new Kill(silo, acknowledgedBefore, at, load.Elapsed - at));
        }

        return kills;
    }

    /// <summary>Holds the callers before they send more once this many charges are answered, until released.</summary>
    private sealed class LoadHold
    {
        private volatile int at = int.MaxValue;

        public void At(int answered) => at = answered;

        public void Release() => at = int.MaxValue;

        /// <summary>Waits while held; always true, so that it reads as the loop's first condition.</summary>
        public async Task<bool> WaitAsync(Func<int> answered)
        {
            while (answered() >= at)
            {
                await Task.Delay(20);
            }

            return true;
        }
    }

    private static async Task<AcknowledgedCharge> SendAsync(Acknowledged client, TestTenant tenant, Charge charge, DateTime deadline)
    {
        var attributes = charge.InAtlas ? ProjectAttributes : "{}";
        if (!charge.Reserved)
        {
            var usage = Expect(await client.PostAsync(tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody(charge.Key, charge.Cost, attributes), deadline));
            return Charged(charge, usage, "usage:" + RequestIdentity.UsageId(charge.Key)) with { Duplicate = usage["duplicate"]?.GetValue<bool>() == true };
        }

        var reservation = Expect(await client.PostAsync(tenant.ReservationsPath, tenant.ServiceKey,
            TestTenant.ReserveBody(charge.Key, charge.Estimate, attributes), deadline));
        if (reservation["granted"]?.GetValue<bool>() != true)
        {
            throw new UnexpectedAnswerException($"reservation refused: {reservation.ToJsonString()}");
        }

        var reservationId = reservation["reservationId"]!.GetValue<string>();
        var commit = Expect(await client.PostAsync(tenant.CommitPath(reservationId), tenant.ServiceKey, TestTenant.CommitBody(charge.Cost), deadline));
        return Charged(charge, commit, "commit:" + reservationId);
    }

    private static AcknowledgedCharge Charged(Charge charge, JsonNode answer, string entryKey)
    {
        var cost = Json.Decimal(answer["charged"]?["cost"]);
        return cost == charge.Cost
            ? new AcknowledgedCharge(charge, entryKey, cost)
            : throw new UnexpectedAnswerException($"charged {cost} instead of {charge.Cost}: {answer.ToJsonString()}");
    }

    private static JsonNode Expect(ApiAnswer answer) =>
        answer.Status == HttpStatusCode.OK ? answer.Json : throw new UnexpectedAnswerException($"answered {answer}");

    /// <summary>Usages and reserve→commit pairs, interleaved; amounts with all six decimals in use.</summary>
    private static List<Charge> PlanCharges()
    {
        var random = new Random(20250314);
        var run = Guid.NewGuid().ToString("N")[..8];
        var charges = new List<Charge>(Usages + ReserveCommitPairs);
        for (var i = 0; i < Usages + ReserveCommitPairs; i++)
        {
            var reserved = i < ReserveCommitPairs;
            var cost = random.Next(1, 2_000_001) / 1_000_000m;
            charges.Add(new Charge($"{run}-{(reserved ? "job" : "call")}-{i}", reserved, cost, cost + 0.5m, InAtlas: random.Next(2) == 0));
        }

        return [.. charges.OrderBy(_ => random.Next())];
    }

    private sealed record Charge(string Key, bool Reserved, decimal Cost, decimal Estimate, bool InAtlas);

    /// <param name="Duplicate">A usage answered <c>duplicate: true</c>: an attempt whose answer was lost had recorded it.</param>
    private sealed record AcknowledgedCharge(Charge Charge, string EntryKey, decimal Cost, bool Duplicate = false);

    private sealed record Kill(int Silo, int AcknowledgedBefore, TimeSpan At, TimeSpan Downtime);

    private sealed class UnexpectedAnswerException(string message) : Exception(message);
}
