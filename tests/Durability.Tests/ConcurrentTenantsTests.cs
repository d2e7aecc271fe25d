using System.Collections.Concurrent;
using System.Net;
using BudgetActors.Domain;
using BudgetActors.Durability.Tests.Infrastructure;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// Scale-out of the ledger: two tenants in different ledger partitions take usages at the same
/// time, the usage grains (one per idempotency key) spread over both silos, so both silos write
/// both tenants at once — one tenant's writers of either silo ordered by the tenant's partition
/// lock, the two tenants' writers not waiting for each other. One silo is killed with SIGKILL
/// midway. Every acknowledged usage is in the ledger exactly once, and each budget, rebuilt after
/// every silo was killed again, is exactly its tenant's acknowledged spend.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class ConcurrentTenantsTests(DurableClusterFixture fixture, ITestOutputHelper output)
{
    private const int UsagesPerTenant = 1000;
    private const int ClientsPerTenant = 16;
    private const double KillPoint = 0.4;
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Two_tenants_of_different_partitions_written_by_both_silos_at_once_keep_every_acknowledged_usage_once_through_a_kill_9()
    {
        var cluster = fixture.Cluster;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var idA = $"scale-a-{suffix}";
        var idB = NewIdInAnotherPartition($"scale-b-{suffix}", LedgerPartitions.Of(idA));
        TestTenant[] tenants = [await fixture.CreateTenantAsync(idA, "scale a"), await fixture.CreateTenantAsync(idB, "scale b")];
        foreach (var tenant in tenants)
        {
            await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "total" }, "limits": { "cost": 1000000000 } }""");
        }

        var random = new Random(20251202);
        var planned = tenants.ToDictionary(t => t.Id, t => new ConcurrentQueue<(string Key, decimal Cost)>(
            Enumerable.Range(0, UsagesPerTenant).Select(i => ($"{t.Id}-call-{i}", random.Next(1, 2_000_001) / 1_000_000m))));
        var acknowledged = tenants.ToDictionary(t => t.Id, _ => new ConcurrentDictionary<string, decimal>());
        var failures = new ConcurrentBag<string>();
        var tally = new RetryTally();
        var client = new Acknowledged(cluster.Api, tally);
        var deadline = DateTime.UtcNow + LoadDeadline;
        cluster.Note($"load of {tenants.Length} × {UsagesPerTenant} usages starts");

        var clients = tenants.SelectMany(tenant => Enumerable.Range(0, ClientsPerTenant).Select(_ => Task.Run(async () =>
        {
            while (planned[tenant.Id].TryDequeue(out var usage))
            {
                try
                {
                    var answer = await client.PostAsync(tenant.UsagePath, tenant.ServiceKey, TestTenant.UsageBody(usage.Key, usage.Cost), deadline);
                    var charged = answer.Status == HttpStatusCode.OK ? Json.Decimal(answer.Json["charged"]?["cost"]) : -1;
                    if (charged != usage.Cost)
                    {
                        failures.Add($"{usage.Key}: answered {answer}");
                        continue;
                    }

                    acknowledged[tenant.Id]["usage:" + RequestIdentity.UsageId(usage.Key)] = usage.Cost;
                }
                catch (TimeoutException e)
                {
                    failures.Add($"{usage.Key}: {e.Message}");
                }
            }
        }))).ToArray();

        int Answered() => acknowledged.Values.Sum(a => a.Count) + failures.Count;
        while (Answered() < KillPoint * tenants.Length * UsagesPerTenant && clients.Any(c => !c.IsCompleted))
        {
            await Task.Delay(20);
        }

        var acknowledgedBeforeKill = Answered();
        await cluster.KillSiloAsync(1);
        await cluster.RestartSiloAsync(1);
        await Task.WhenAll(clients);
        cluster.Note("load done");

        Assert.True(failures.IsEmpty, $"{failures.Count} usages were not acknowledged:{Environment.NewLine}" +
            string.Join(Environment.NewLine, failures.Take(20)) + Environment.NewLine + cluster.Diagnostics());
        Assert.True(acknowledgedBeforeKill < tenants.Length * UsagesPerTenant, "the silo was killed only after the load");

        var sequences = new Dictionary<string, List<long>>();
        foreach (var tenant in tenants)
        {
            // Every acknowledged usage of the tenant is in the ledger exactly once, with its amount; nothing else is.
            var rows = (await tenant.LedgerRowsAsync()).Where(r => r.Kind == LedgerEntryKind.Usage).ToList();
            var expected = acknowledged[tenant.Id];
            Assert.Equal(UsagesPerTenant, expected.Count);
            Assert.Equal(expected.Keys.Order(), rows.Select(r => r.EntryKey).Order());
            Assert.All(rows, r => Assert.Equal(expected[r.EntryKey], r.Cost));
            sequences[tenant.Id] = await SequencesAsync(cluster, tenant.Id);
        }

        // The two tenants were written at the same time: their sequences interleave.
        var (a, b) = (sequences[idA], sequences[idB]);
        Assert.True(a.Min() < b.Max() && b.Min() < a.Max(), "the tenants' writes overlapped in time");

        foreach (var tenant in tenants)
        {
            var total = acknowledged[tenant.Id].Values.Sum();
            await Eventually.HoldsAsync(async () => Json.Decimal((await tenant.BudgetStatusAsync("all"))["cost"]!["spent"]) == total,
                TimeSpan.FromSeconds(30), $"the live budget of {tenant.Id} shows its acknowledged spend {total}", cluster.Diagnostics);
        }

        // Rebuilt from snapshot + ledger after every silo is killed: exactly each tenant's own spend.
        await cluster.CrashAndRestartAllSilosAsync();
        foreach (var tenant in tenants)
        {
            var status = await tenant.BudgetStatusAsync("all");
            Assert.Equal(acknowledged[tenant.Id].Values.Sum(), Json.Decimal(status["cost"]!["spent"]));
            Assert.Equal(0m, Json.Decimal(status["cost"]!["reserved"]));
            Assert.Equal(UsagesPerTenant, status["operations"]!["spent"]!.GetValue<long>());
        }

        output.WriteLine($"{tenants.Length} × {UsagesPerTenant} usages from {tenants.Length * ClientsPerTenant} clients; silo 1 killed with SIGKILL " +
            $"at {acknowledgedBeforeKill} answered; {tally}; partitions {LedgerPartitions.Of(idA)} and {LedgerPartitions.Of(idB)}; " +
            $"sequences {a.Min()}–{a.Max()} and {b.Min()}–{b.Max()}.");
    }

    private static string NewIdInAnotherPartition(string prefix, int partition)
    {
        for (var i = 0; ; i++)
        {
            if (LedgerPartitions.Of($"{prefix}{i}") != partition)
            {
                return $"{prefix}{i}";
            }
        }
    }

    private static async Task<List<long>> SequencesAsync(DurableCluster cluster, string tenantId)
    {
        await using var query = cluster.Database.CreateCommand("SELECT sequence FROM budget_ledger WHERE tenant_id = $1 AND kind = 4 ORDER BY sequence");
        query.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenantId });
        await using var reader = await query.ExecuteReaderAsync();
        var sequences = new List<long>();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }
}
