using BudgetActors.Grains.Ledger;
using BudgetActors.Ledger.Tests.Support;
using Npgsql;

namespace BudgetActors.Ledger.Tests;

/// <summary>
/// scripts/sql/apply.sh upgrades a ledger that the version before budget_ledger_key wrote
/// (Support/budget-ledger-before-keys.sql: text keys in its indexes and side table) in place: every
/// entry stays readable by key, by budget and by reservation, a retry still finds its first entry,
/// and applying again changes nothing. Also: a row of the side table whose key belongs to another
/// budget (as two names sharing a key would give) is never read as the budget's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LedgerUpgradeTests(PostgresFixture database)
{
    private readonly string tenant = Entries.NewTenant();

    [Fact]
    public async Task A_ledger_of_the_version_before_keys_is_upgraded_in_place_and_applying_again_changes_nothing()
    {
        var name = $"upgrade_{Guid.NewGuid():N}";
        var connectionString = await database.Server.CreateDatabaseAsync(name);

        // The schema of the version before, and what its writer stored: each entry, and one side row per budget.
        await database.Server.ApplySchemaAsync(name);
        await ExecuteAsync(connectionString,
            "DROP TABLE budget_ledger, budget_ledger_budgets; DROP SEQUENCE budget_ledger_sequence; DROP FUNCTION budget_ledger_key(text, text);");
        await ExecuteAsync(connectionString, await File.ReadAllTextAsync(
            Path.Combine(PrivatePostgres.RepositoryRoot, "tests", "Ledger.Tests", "Support", "budget-ledger-before-keys.sql")));
        var other = Entries.NewTenant();
        var written = new List<(long Sequence, LedgerEntry Entry)>();
        foreach (var entry in new[]
        {
            Entries.Hold(tenant, "r1", "month", "alice-day") with { Epochs = [11, 12] },
            Entries.Usage(tenant, "u1", "month"),
            Entries.Commit(tenant, "r1", "month", "alice-day") with { HoldSequence = 1 },
            Entries.Usage(other, "u1", "month"),
        })
        {
            written.Add((await InsertAsBeforeAsync(connectionString, entry), entry));
        }

        await database.Server.ApplySchemaAsync(name);
        var afterFirst = await SnapshotAsync(connectionString);
        await database.Server.ApplySchemaAsync(name);
        Assert.Equal(afterFirst, await SnapshotAsync(connectionString));
        Assert.Equal("budget_key bigint, sequence bigint; 6 rows", afterFirst.SideTable);
        Assert.Equal(
            ["budget_ledger_budgets_pkey", "budget_ledger_entry_key", "budget_ledger_pkey", "budget_ledger_reservation", "budget_ledger_spend"],
            afterFirst.Indexes);
        Assert.Equal(0, afterFirst.Constraints); // the unique constraint of before is now a unique index

        await using var ledger = new PostgresSpendLedger(connectionString);
        var month = await ledger.ReadForBudgetAsync(tenant, "month", 0);
        Assert.Equal(written.Take(3).Select(w => w.Sequence), month.Select(r => r.Sequence));
        foreach (var (record, (_, entry)) in month.Zip(written))
        {
            Entries.AssertSame(entry, record.Entry);
        }

        Assert.Equal(Epochs(written[0].Entry), Epochs(month[0].Entry));
        Assert.Equal([written[0].Sequence, written[2].Sequence], (await ledger.ReadForBudgetAsync(tenant, "alice-day", 0)).Select(r => r.Sequence));
        Assert.Equal([written[2].Sequence], (await ledger.ReadForBudgetAsync(tenant, "alice-day", written[0].Sequence)).Select(r => r.Sequence));
        Assert.Equal([written[3].Sequence], (await ledger.ReadForBudgetAsync(other, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([written[0].Sequence, written[2].Sequence], (await ledger.ReadForReservationAsync(tenant, "r1")).Select(r => r.Sequence));
        Assert.Equal(written[1].Sequence, (await ledger.FindAsync(tenant, "usage:u1"))!.Sequence);

        var retry = await ledger.AppendAsync(Entries.Usage(tenant, "u1", "month") with { Fingerprint = "a retry" });
        Assert.True(retry.Duplicate);
        Assert.Equal(written[1].Sequence, retry.Record.Sequence);

        var next = await ledger.AppendAsync(Entries.Release(tenant, "r1", "month", "alice-day"));
        Assert.False(next.Duplicate);
        Assert.True(next.Record.Sequence > written[^1].Sequence);
        Assert.Equal([.. written.Take(3).Select(w => w.Sequence), next.Record.Sequence], (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([written[0].Sequence, written[2].Sequence, next.Record.Sequence], (await ledger.ReadForReservationAsync(tenant, "r1")).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_side_row_whose_key_names_the_budget_is_not_read_unless_the_entry_is_the_budgets()
    {
        await using var ledger = new PostgresSpendLedger(database.ConnectionString);
        var other = Entries.NewTenant();
        var own = await ledger.AppendAsync(Entries.Usage(tenant, "own", "month"));
        var otherBudget = await ledger.AppendAsync(Entries.Usage(tenant, "other-budget", "alice-day"));
        var otherTenant = await ledger.AppendAsync(Entries.Usage(other, "other-tenant", "month"));

        // What two names sharing a key would store: rows under the key of (tenant, month) for entries that are not its.
        await ExecuteAsync(database.ConnectionString,
            $"INSERT INTO budget_ledger_budgets (budget_key, sequence) VALUES " +
            $"(budget_ledger_key('{tenant}', 'month'), {otherBudget.Record.Sequence}), (budget_ledger_key('{tenant}', 'month'), {otherTenant.Record.Sequence})");

        Assert.Equal([own.Record.Sequence], (await ledger.ReadForBudgetAsync(tenant, "month", 0)).Select(r => r.Sequence));
        Assert.Equal([otherBudget.Record.Sequence], (await ledger.ReadForBudgetAsync(tenant, "alice-day", 0)).Select(r => r.Sequence));
        Assert.Equal([otherTenant.Record.Sequence], (await ledger.ReadForBudgetAsync(other, "month", 0)).Select(r => r.Sequence));
    }

    private static long[] Epochs(LedgerEntry entry) => [.. entry.Epochs];

    // An entry as the version before wrote it: the row, then one row of (tenant_id, budget_id, sequence) per budget.
    private static async Task<long> InsertAsBeforeAsync(string connectionString, LedgerEntry entry)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO budget_ledger (sequence, tenant_id, entry_key, kind, reservation_id, budget_ids, attributes, cost, tokens, operations, " +
            "expires_at, fingerprint, recorded_at, outcome, hold_sequence, budget_epochs) " +
            "VALUES (nextval('budget_ledger_sequence'), $1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING sequence",
            connection, transaction)
        {
            Parameters =
            {
                new() { Value = entry.TenantId },
                new() { Value = entry.EntryKey },
                new() { Value = (short)entry.Kind },
                new() { Value = (object?)entry.ReservationId ?? DBNull.Value },
                new() { Value = entry.BudgetIds.ToArray() },
                new() { Value = LedgerRows.FormatAttributes(entry.Attributes) },
                new() { Value = entry.Amount.Cost },
                new() { Value = entry.Amount.Tokens },
                new() { Value = entry.Amount.Operations },
                new() { Value = (object?)entry.ExpiresAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = entry.Fingerprint },
                new() { Value = entry.RecordedAt.UtcDateTime },
                new() { Value = (object?)entry.Outcome ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea },
                new() { Value = (object?)entry.HoldSequence ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                new() { Value = entry.Epochs.IsDefaultOrEmpty ? DBNull.Value : entry.Epochs.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint },
            },
        };
        var sequence = (long)(await insert.ExecuteScalarAsync())!;
        await using var side = new NpgsqlCommand(
            "INSERT INTO budget_ledger_budgets (tenant_id, budget_id, sequence) SELECT $1, unnest($2::text[]), $3", connection, transaction)
        {
            Parameters = { new() { Value = entry.TenantId }, new() { Value = entry.BudgetIds.ToArray() }, new() { Value = sequence } },
        };
        await side.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return sequence;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // The shape of the upgraded schema and of what it holds: equal after every apply.
    private static async Task<Shape> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var side = new NpgsqlCommand(
            "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) || '; ' || (SELECT count(*) FROM budget_ledger_budgets) || ' rows' " +
            "FROM pg_attribute WHERE attrelid = 'budget_ledger_budgets'::regclass AND attnum > 0 AND NOT attisdropped", connection);
        var sideTable = (string)(await side.ExecuteScalarAsync())!;
        await using var indexes = new NpgsqlCommand(
            "SELECT array_agg(indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid) ORDER BY indexrelid::regclass::text) FROM pg_index " +
            "WHERE indrelid IN ('budget_ledger'::regclass, 'budget_ledger_budgets'::regclass)", connection);
        var definitions = (string[])(await indexes.ExecuteScalarAsync())!;
        await using var constraints = new NpgsqlCommand(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'budget_ledger'::regclass AND contype = 'u'", connection);
        var unique = (long)(await constraints.ExecuteScalarAsync())!;
        await using var rows = new NpgsqlCommand("SELECT string_agg(sequence || ':' || entry_key, ',' ORDER BY sequence) FROM budget_ledger", connection);
        return new Shape(sideTable, [.. definitions.Select(d => d.Split(' ')[0])], string.Join('\n', definitions), (int)unique, (string)(await rows.ExecuteScalarAsync())!);
    }

    private sealed record Shape(string SideTable, string[] Indexes, string IndexDefinitions, int Constraints, string Rows)
    {
        public bool Equals(Shape? other) =>
            other is not null && SideTable == other.SideTable && IndexDefinitions == other.IndexDefinitions && Constraints == other.Constraints && Rows == other.Rows;

        public override int GetHashCode() => HashCode.Combine(SideTable, IndexDefinitions, Constraints, Rows);
    }
}
