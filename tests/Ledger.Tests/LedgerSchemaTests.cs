using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;
using Npgsql;

namespace BudgetActors.Ledger.Tests;

/// <summary>scripts/sql/40-budget-ledger.sql: safe to apply again, and indexed for the reads the grains make.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerSchemaTests(PostgresFixture database)
{
    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task Applying_the_schema_again_keeps_the_entries_and_the_ledger_working()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var before = await ledger.AppendAsync(Entries.Hold(tenant, "r1", "month"));

        await database.Server.ApplySchemaAsync();
        await database.Server.ApplySchemaAsync();

        var after = await ledger.AppendAsync(Entries.Commit(tenant, "r1", "month"));
        var duplicate = await ledger.AppendAsync(Entries.Hold(tenant, "r1", "month"));
        Assert.True(after.Record.Sequence > before.Record.Sequence);
        Assert.True(duplicate.Duplicate);
        Assert.Equal([before.Record.Sequence, after.Record.Sequence], (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([before.Record.Sequence, after.Record.Sequence], (await ledger.ReadForReservationAsync(tenant, "r1")).Select(r => r.Sequence));
    }

    [Theory]
    [InlineData("budget", "budget_ledger_budgets_pkey")]
    [InlineData("reservation", "budget_ledger_reservation")]
    [InlineData("key", "budget_ledger_entry_key")]
    public async Task Each_read_can_be_served_by_an_index(string read, string index)
    {
        var (sql, arguments) = read switch
        {
            "budget" => (LedgerSql.ReadForBudget, new object[] { tenant, "month", 10L }),
            "reservation" => (LedgerSql.ReadForReservation, [tenant, "r1"]),
            _ => (LedgerSql.Find, [tenant, "usage:u1"]),
        };
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var noSeqScan = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noSeqScan.ExecuteNonQueryAsync(); // the test tables are small: ask whether an index *can* serve the read
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN {sql}", connection);
        foreach (var argument in arguments)
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        var plan = new List<string>();
        await using (var rows = await explain.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                plan.Add(rows.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains($"Index Scan using {index}") || line.Contains($"Index Only Scan using {index}") || line.Contains($"Bitmap Index Scan on {index}"));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan"));
    }
}
