using System.Security.Cryptography;
using BudgetActors.Durability.Tests.Infrastructure;
using Npgsql;

namespace BudgetActors.Durability.Tests;

/// <summary>
/// The Orleans tables take the longest value that can reach each of their columns, through the very
/// named queries (OrleansQuery) that the providers run, both in a new database and in one that an
/// older version of scripts/sql created with varchar(n) columns. Each test works in a database of
/// its own on the cluster's server, so the running cluster never sees these rows.
/// </summary>
[Collection(DurableClusterCollection.Name)]
public sealed class LongIdsSchemaTests(DurableClusterFixture fixture)
{
    /// <summary>
    /// The Orleans tables as scripts/sql created them before their id columns became text (up to
    /// commit 709ee1f): a deployment that applied those scripts has exactly these columns.
    /// </summary>
    private const string FirstSchemaTables = """
        CREATE TABLE OrleansMembershipVersionTable
        (
            DeploymentId varchar(150)   NOT NULL,
            Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
            Version      integer        NOT NULL DEFAULT 0,
            CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
        );
        CREATE TABLE OrleansMembershipTable
        (
            DeploymentId varchar(150)   NOT NULL,
            Address      varchar(45)    NOT NULL,
            Port         integer        NOT NULL,
            Generation   integer        NOT NULL,
            SiloName     varchar(150)   NOT NULL,
            HostName     varchar(150)   NOT NULL,
            Status       integer        NOT NULL,
            ProxyPort    integer        NULL,
            SuspectTimes varchar(8000)  NULL,
            StartTime    timestamptz(3) NOT NULL,
            IAmAliveTime timestamptz(3) NOT NULL,
            CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
            CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
                FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
        );
        CREATE TABLE OrleansStorage
        (
            GrainIdHash            integer       NOT NULL,
            GrainIdN0              bigint        NOT NULL,
            GrainIdN1              bigint        NOT NULL,
            GrainTypeHash          integer       NOT NULL,
            GrainTypeString        varchar(512)  NOT NULL,
            GrainIdExtensionString varchar(512)  NULL,
            ServiceId              varchar(150)  NOT NULL,
            PayloadBinary          bytea         NULL,
            PayloadXml             xml           NULL,
            PayloadJson            text          NULL,
            ModifiedOn             timestamp     NOT NULL,
            Version                integer       NULL
        );
        CREATE INDEX IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);
        CREATE TABLE OrleansRemindersTable
        (
            ServiceId    varchar(150)   NOT NULL,
            GrainId      varchar(150)   NOT NULL,
            ReminderName varchar(150)   NOT NULL,
            StartTime    timestamptz(3) NOT NULL,
            Period       bigint         NOT NULL,
            GrainHash    integer        NOT NULL,
            Version      integer        NOT NULL,
            CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
        );
        CREATE INDEX IX_RemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);
        """;

    /// <summary>Every column that a string from outside the schema reaches (ids, names, addresses), by table.</summary>
    private static readonly (string Table, string Column)[] StringColumns =
    [
        ("orleansmembershipversiontable", "deploymentid"),
        ("orleansmembershiptable", "deploymentid"),
        ("orleansmembershiptable", "address"),
        ("orleansmembershiptable", "siloname"),
        ("orleansmembershiptable", "hostname"),
        ("orleansmembershiptable", "suspecttimes"),
        ("orleansstorage", "graintypestring"),
        ("orleansstorage", "grainidextensionstring"),
        ("orleansstorage", "serviceid"),
        ("orleansreminderstable", "serviceid"),
        ("orleansreminderstable", "grainid"),
        ("orleansreminderstable", "remindername"),
    ];

    [Fact]
    public async Task A_new_schema_stores_and_reads_back_the_longest_value_of_every_column_through_the_named_queries()
    {
        await using var database = await NewDatabaseAsync();
        await fixture.Cluster.Postgres.ApplySchemaAsync(database.Name);

        await AssertLongestValuesRoundTripAsync(database);
        await AssertNoLengthLimitAsync(database);
    }

    [Fact]
    public async Task Applying_the_schema_to_tables_an_older_version_created_widens_them_in_place_and_keeps_their_rows()
    {
        await using var database = await NewDatabaseAsync();
        await database.ExecuteAsync(FirstSchemaTables);
        var oldGrainId = "budget/" + new string('t', 70) + "/" + new string('b', 72); // 150, the most the old column took
        await database.ExecuteAsync($"""
            INSERT INTO OrleansMembershipVersionTable (DeploymentId, Version) VALUES ('old-cluster', 7);
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, StartTime, IAmAliveTime)
                 VALUES ('old-cluster', '10.0.0.1', 11111, 42, 'silo-a', 'host-a', 3, now(), now());
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                 VALUES (1, 0, 0, 2, 'budget', 'tenant-a/budget-a', 'old-cluster', '\x0102'::bytea, now(), 5);
            INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                 VALUES ('old-cluster', '{oldGrainId}', 'period-rollover', now(), 86400000, 3, 9);
            """);

        // The old tables and their indexes, each with the file that holds it.
        const string OrleansRelations = """
            SELECT relname || ' ' || relfilenode FROM pg_class
             WHERE (relname LIKE 'orleans%' AND relname NOT LIKE 'orleansquery%') OR relname LIKE 'ix\_%' OR relname LIKE 'pk\_%'
             ORDER BY relname
            """;
        var filesBefore = await database.ColumnAsync<string>(OrleansRelations);
        Assert.Equal(4 + 5, filesBefore.Count);

        await fixture.Cluster.Postgres.ApplySchemaAsync(database.Name);

        // Widened in place: every table and index keeps its file (nothing was rewritten or rebuilt).
        Assert.Equal(filesBefore, await database.ColumnAsync<string>(OrleansRelations));
        Assert.Equal(7, await database.ScalarAsync<int>("SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = 'old-cluster'"));
        Assert.Equal("host-a", await database.ScalarAsync<string>("SELECT HostName FROM OrleansMembershipTable WHERE DeploymentId = 'old-cluster' AND Generation = 42"));
        Assert.Equal(5, await database.ScalarAsync<int>("SELECT Version FROM OrleansStorage WHERE GrainIdExtensionString = 'tenant-a/budget-a'"));
        Assert.Equal(9, await database.ScalarAsync<int>($"SELECT Version FROM OrleansRemindersTable WHERE GrainId = '{oldGrainId}'"));

        // Applied again, the columns are text already and are left alone: an ALTER TABLE would wait for
        // every reader of the table (here one that holds a read lock on each, as a silo's query does
        // while it runs), and a schema re-applied under a live cluster must not stall it.
        await using (var reader = await database.OpenConnectionAsync())
        await using (var transaction = await reader.BeginTransactionAsync())
        {
            await using (var readLocks = new NpgsqlCommand(
                "LOCK TABLE OrleansMembershipVersionTable, OrleansMembershipTable, OrleansStorage, OrleansRemindersTable IN ACCESS SHARE MODE", reader, transaction))
            {
                await readLocks.ExecuteNonQueryAsync();
            }

            var reapply = fixture.Cluster.Postgres.ApplySchemaAsync(database.Name);
            Assert.True(await Task.WhenAny(reapply, Task.Delay(TimeSpan.FromSeconds(30))) == reapply,
                "Applying the schema again waited for a reader of the Orleans tables: it altered a column that was text already.");
            await reapply;
        }

        Assert.Equal(filesBefore, await database.ColumnAsync<string>(OrleansRelations));
        await AssertLongestValuesRoundTripAsync(database);
        await AssertNoLengthLimitAsync(database);
    }

    /// <summary>None of the columns strings reach is varchar(n) or char(n) any more: nothing can be cut off or refused for its length.</summary>
    private static async Task AssertNoLengthLimitAsync(ScratchDatabase database)
    {
        var types = await database.RowsAsync("""
            SELECT table_name, column_name, data_type, character_maximum_length FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name LIKE 'orleans%'
            """);
        foreach (var (table, column) in StringColumns)
        {
            var row = types.SingleOrDefault(r => (string)r[0]! == table && (string)r[1]! == column)
                ?? throw new Xunit.Sdk.XunitException($"{table}.{column} does not exist.");
            Assert.True((string)row[2]! == "text", $"{table}.{column} is {row[2]}({row[3]}), not text.");
        }

        // A string column added later without thought would show here (OrleansQuery holds only this repository's own query texts).
        Assert.Empty(types.Where(r => (string)r[0]! != "orleansquery" && r[3] is not null).Select(r => $"{r[0]}.{r[1]} {r[2]}({r[3]})"));
    }

    /// <summary>
    /// Runs the providers' named queries, read from OrleansQuery, with the longest values this
    /// system produces (and, where an operator chooses the value, far longer than any name in use).
    /// </summary>
    private static async Task AssertLongestValuesRoundTripAsync(ScratchDatabase database)
    {
        var queries = (await database.RowsAsync("SELECT QueryKey, QueryText FROM OrleansQuery")).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var clusterId = Filled("cluster", 512); // ClusterId and ServiceId are configuration: Orleans puts no limit on them
        var tenant = Filled("tenant", 128);
        var user = Filled("user", 256); // the longest string key of any grain: UserGrain's tenant/user, user an attribute value
        var longestKey = $"{tenant}/{user}";
        var longestGrainId = $"user/{longestKey}"; // GrainId.ToString(): the grain type, '/', the key
        var hostName = Filled("host", 253); // the longest DNS name
        var address = "0000:0000:0000:0000:0000:ffff:255.255.255.255%" + Filled("eth", 15); // IPv6 text with a zone (an interface name)
        var suspectTimes = string.Join(" | ", Enumerable.Range(0, 200).Select(i => $"S{address}:{11111 + i}:{i}@2026-01-01 00:00:00.000 GMT")); // past the old 8000
        var now = DateTime.UtcNow;

        // Membership: the cluster's version row, a silo's row, a change to it, and the silo read back.
        Assert.Equal(1, await database.ScalarAsync<int>(queries["InsertMembershipVersionKey"], ("DeploymentId", clusterId)));
        Assert.Equal(1, await database.ScalarAsync<int>(queries["InsertMembershipKey"],
            ("DeploymentId", clusterId), ("Address", address), ("Port", 11111), ("Generation", 1), ("SiloName", hostName), ("HostName", hostName),
            ("Status", 3), ("ProxyPort", 30000), ("StartTime", now), ("IAmAliveTime", now), ("Version", 0)));
        Assert.Equal(1, await database.ScalarAsync<int>(queries["UpdateMembershipKey"],
            ("DeploymentId", clusterId), ("Address", address), ("Port", 11111), ("Generation", 1), ("Status", 3),
            ("SuspectTimes", suspectTimes), ("IAmAliveTime", now), ("Version", 1)));
        var silo = Assert.Single(await database.RowsAsync(queries["MembershipReadRowKey"],
            ("DeploymentId", clusterId), ("Address", address), ("Port", 11111), ("Generation", 1)));
        Assert.Equal((clusterId, address, hostName, hostName, suspectTimes, 2),
            ((string)silo[0]!, (string)silo[1]!, (string)silo[4]!, (string)silo[5]!, (string)silo[8]!, (int)silo[11]!));

        // Grain storage: a first write of the grain with the longest key, read back.
        (string, object?)[] grain =
        [
            ("GrainIdHash", 17), ("GrainIdN0", 0L), ("GrainIdN1", 0L), ("GrainTypeHash", 23), ("GrainTypeString", Filled("BudgetActors.State", 600)),
            ("GrainIdExtensionString", longestKey), ("ServiceId", clusterId),
        ];
        Assert.Equal(1, await database.ScalarAsync<int>(queries["WriteToStorageKey"], [.. grain, ("GrainStateVersion", null), ("PayloadBinary", new byte[] { 1, 2, 3 })]));
        var state = Assert.Single(await database.RowsAsync(queries["ReadFromStorageKey"], grain));
        Assert.Equal([1, 2, 3], (byte[])state[0]!);
        Assert.Equal(1, state[4]);

        // Reminders: a row for the longest grain id, read back by grain and by its place on the ring.
        Assert.Equal(0, await database.ScalarAsync<int>(queries["UpsertReminderRowKey"],
            ("ServiceId", clusterId), ("GrainId", longestGrainId), ("ReminderName", "period-rollover"), ("StartTime", now),
            ("Period", 86_400_000L), ("GrainHash", 1234)));
        var reminder = Assert.Single(await database.RowsAsync(queries["ReadReminderRowKey"],
            ("ServiceId", clusterId), ("GrainId", longestGrainId), ("ReminderName", "period-rollover")));
        Assert.Equal((longestGrainId, "period-rollover"), ((string)reminder[0]!, (string)reminder[1]!));
        Assert.Equal([longestGrainId], (await database.RowsAsync(queries["ReadRangeRows1Key"],
            ("ServiceId", clusterId), ("BeginHash", 1000), ("EndHash", 2000))).Select(r => r[0]));
    }

    /// <summary><c>{label}-{random}-</c> padded with id characters to exactly <paramref name="length"/>.</summary>
    private static string Filled(string label, int length)
    {
        var prefix = $"{label}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}-";
        return prefix + string.Concat(Enumerable.Range(0, length - prefix.Length).Select(i => "abc.XYZ_09:@-"[i % 13]));
    }

    private async Task<ScratchDatabase> NewDatabaseAsync()
    {
        var name = "long_ids_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var connectionString = new NpgsqlConnectionStringBuilder(await fixture.Cluster.Postgres.CreateDatabaseAsync(name)) { Pooling = false }.ConnectionString;
        return new ScratchDatabase(name, NpgsqlDataSource.Create(connectionString), fixture.Cluster.Database);
    }

    /// <summary>A database of the test's own on the cluster's server, dropped afterwards.</summary>
    private sealed class ScratchDatabase(string name, NpgsqlDataSource dataSource, NpgsqlDataSource server) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public ValueTask<NpgsqlConnection> OpenConnectionAsync() => dataSource.OpenConnectionAsync();

        public async Task ExecuteAsync(string sql)
        {
            await using var command = dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        public async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters) =>
            (T)(await RowsAsync(sql, parameters)).Single()[0]!;

        public async Task<List<T>> ColumnAsync<T>(string sql) => [.. (await RowsAsync(sql)).Select(r => (T)r[0]!)];

        /// <summary>
        /// Runs <paramref name="sql"/> with named parameters (<c>@Name</c>), as Orleans' ADO.NET
        /// providers run their queries: .NET values, null as DBNull, types inferred by Npgsql.
        /// </summary>
        public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = dataSource.CreateCommand(sql);
            foreach (var (parameter, value) in parameters)
            {
                // The only null these queries are given is a grain's ETag before its first write, an integer.
                command.Parameters.Add(value is null
                    ? new NpgsqlParameter(parameter, NpgsqlTypes.NpgsqlDbType.Integer) { Value = DBNull.Value }
                    : new NpgsqlParameter(parameter, value));
            }

            var rows = new List<object?[]>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }

        public async ValueTask DisposeAsync()
        {
            await dataSource.DisposeAsync();
            await using var drop = server.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
