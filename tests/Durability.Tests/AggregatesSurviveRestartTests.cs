using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using BudgetActors.Durability.Tests.Infrastructure;
using Npgsql;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// The daily aggregates in PostgreSQL equal the ledger to the micro-unit: after a mixed workload
/// folded by the projectors of two silos, after every silo was killed and started again, and after
/// they were thrown away and rebuilt from the ledger.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class AggregatesSurviveRestartTests(DurableClusterFixture fixture)
{
    [Fact]
    public async Task Reports_and_trends_equal_the_ledger_after_a_mixed_workload_a_restart_and_a_rebuild()
    {
        var cluster = fixture.Cluster;
        var tenant = await fixture.NewTenantAsync("aggregates");
        await tenant.PutBudgetAsync("all", """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100000 } }""");
        await tenant.PutBudgetAsync("alice", """{ "scope": { "user": "alice" }, "period": { "type": "monthly" }, "limits": { "cost": 100000 } }""");

        await WorkloadAsync(tenant, "before", 24);
        await AssertEqualToLedgerAsync(tenant);

        await cluster.CrashAndRestartAllSilosAsync();
        await AssertEqualToLedgerAsync(tenant); // what was folded before the crash is kept, and counted once
        await WorkloadAsync(tenant, "after", 12);
        await AssertEqualToLedgerAsync(tenant);

        await using (var reset = cluster.Database.CreateBatch())
        {
            reset.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM spend_daily"));
            reset.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE spend_aggregate_watermark SET watermark = 0"));
            await reset.ExecuteNonQueryAsync();
        }

        await AssertEqualToLedgerAsync(tenant); // rebuilt from the whole ledger
    }

    private async Task WorkloadAsync(TestTenant tenant, string label, int count)
    {
        var api = fixture.Cluster.Api;
        for (var i = 0; i < count; i++)
        {
            var user = i % 2 == 0 ? "alice" : "bob";
            var late = i % 6 == 0 ? $""", "timestamp": "{DateTimeOffset.UtcNow.AddDays(-2):O}" """ : "";
            var body = (i % 4) switch
            {
                0 => $$"""{ "idempotencyKey": "{{label}}-{{i}}", "attributes": { "user": "{{user}}" }, "llmUsage": { "model": "gpt-4o", "inputTokens": {{1000 + i * 37}}, "outputTokens": {{100 + i}}, "cachedInputTokens": 10 }{{late}} }""",
                1 => $$"""{ "idempotencyKey": "{{label}}-{{i}}", "attributes": { "queue": "ml" }, "jobUsage": { "cpuSeconds": {{i * 13 + 1}}, "memoryMbSeconds": {{i * 1000}}, "ops": {{i}} }{{late}} }""",
                2 => $$"""{ "idempotencyKey": "{{label}}-{{i}}", "attributes": { "user": "{{user}}" }, "actual": { "cost": {{(0.000001m * (i * 7919 + 1)).ToString(CultureInfo.InvariantCulture)}} }{{late}} }""",
                _ => null,
            };
            if (body is not null)
            {
                await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.UsagePath, tenant.ServiceKey, body);
                continue;
            }

            var reservation = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.ReservationsPath, tenant.ServiceKey,
                TestTenant.ReserveBody($"{label}-r-{i}", 10m, $$"""{ "user": "{{user}}" }""")))["reservationId"]!.GetValue<string>();
            await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, tenant.CommitPath(reservation), tenant.ServiceKey,
                """{ "llmUsage": { "model": "gpt-4o-mini", "inputTokens": 5000, "outputTokens": 700, "cachedInputTokens": 0 } }""");
        }
    }

    private async Task AssertEqualToLedgerAsync(TestTenant tenant)
    {
        var api = fixture.Cluster.Api;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var byDay = await LedgerSpendByDayAsync(tenant, user: null);
        var report = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            $"/v1/tenants/{tenant.Id}/report?from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}&groupBy=user", tenant.ServiceKey);
        Assert.Equal(byDay.Values.Sum(d => d.Cost), Json.Decimal(report["total"]!["cost"]));
        Assert.Equal(byDay.Values.Sum(d => d.Count), report["total"]!["count"]!.GetValue<long>());
        var alice = report["groups"]!.AsArray().Single(g => g!["key"]?.GetValue<string>() == "alice")!;
        Assert.Equal((await LedgerSpendByDayAsync(tenant, "alice")).Values.Sum(d => d.Cost), Json.Decimal(alice["cost"]));

        var trend = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/tenants/{tenant.Id}/budgets/all/trend?days=7", tenant.ServiceKey))["days"]!.AsArray();
        Assert.Equal(7, trend.Count);
        foreach (var day in trend)
        {
            var date = DateOnly.ParseExact(day!["date"]!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var expected = byDay.GetValueOrDefault(date);
            Assert.Equal((expected.Cost, expected.Count), (Json.Decimal(day["cost"]), day["count"]!.GetValue<long>()));
        }
    }

    /// <summary>The tenant's usage and commits in the ledger, by UTC day (the tenant's zone); of one user when given.</summary>
    private async Task<Dictionary<DateOnly, (decimal Cost, long Count)>> LedgerSpendByDayAsync(TestTenant tenant, string? user)
    {
        var database = fixture.Cluster.Database;
        await using var query = database.CreateCommand(
            "SELECT (recorded_at AT TIME ZONE 'UTC')::date, sum(cost), count(*) FROM budget_ledger " +
            "WHERE tenant_id = $1 AND kind IN (3, 4) AND ($2::text IS NULL OR attributes ->> 'user' = $2) GROUP BY 1");
        query.Parameters.Add(new NpgsqlParameter { Value = tenant.Id });
        query.Parameters.Add(new NpgsqlParameter { Value = (object?)user ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await query.ExecuteReaderAsync();
        var days = new Dictionary<DateOnly, (decimal, long)>();
        while (await reader.ReadAsync())
        {
            days[reader.GetFieldValue<DateOnly>(0)] = (reader.GetDecimal(1), reader.GetInt64(2));
        }

        return days;
    }
}
