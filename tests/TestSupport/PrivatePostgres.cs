using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BudgetActors.TestSupport;

/// <summary>
/// A PostgreSQL server of the test run's own, started and stopped with scripts/postgres.sh (a new
/// cluster in a temporary directory, on a free port, with the whole schema applied).
/// </summary>
public sealed partial class PrivatePostgres : IAsyncDisposable
{
    private PrivatePostgres(string directory, string connectionString)
    {
        Directory = directory;
        ConnectionString = connectionString;
    }

    /// <summary>The server's directory (data, log, Unix socket).</summary>
    public string Directory { get; }

    /// <summary>An Npgsql connection string to the budget_actors database.</summary>
    public string ConnectionString { get; }

    /// <summary>The same database for psql (over the Unix socket in <see cref="Directory"/>).</summary>
    public string LibpqConnectionString => LibpqConnectionStringFor("budget_actors");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<PrivatePostgres> StartAsync()
    {
        var (exitCode, output, errors) = await RunAsync("scripts/postgres.sh", "start");
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                "These tests run against a real PostgreSQL server that they start themselves (scripts/postgres.sh), " +
                "and it could not be started. Install PostgreSQL's server binaries and psql (Debian/Ubuntu: " +
                "apt-get install postgresql; or set PG_BIN to the directory holding initdb and pg_ctl).\n" +
                $"scripts/postgres.sh start exited with {exitCode}:\n{errors}");
        }

        return new PrivatePostgres(Exported(output, "PGDIR"), Exported(output, "BUDGETACTORS_POSTGRES"));
    }

    /// <summary>Stops the server abruptly (like a crash), keeping its data.</summary>
    public Task PauseAsync() => RunCheckedAsync("scripts/postgres.sh", "pause", Directory);

    /// <summary>Starts the paused server again, on the same port.</summary>
    public Task ResumeAsync() => RunCheckedAsync("scripts/postgres.sh", "resume", Directory);

    /// <summary>Creates an empty database on this server (no schema: <see cref="ApplySchemaAsync(string)"/> adds it) and returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string database)
    {
        await using (var source = Npgsql.NpgsqlDataSource.Create(ConnectionString))
        await using (var create = source.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Runs scripts/sql/apply.sh on the database again.</summary>
    public Task ApplySchemaAsync() => ApplySchemaAsync("budget_actors");

    /// <summary>Runs scripts/sql/apply.sh on another database of this server (one the caller created).</summary>
    public Task ApplySchemaAsync(string database) => RunCheckedAsync("scripts/sql/apply.sh", LibpqConnectionStringFor(database));

    /// <summary>A database of this server for psql (over the Unix socket in <see cref="Directory"/>).</summary>
    public string LibpqConnectionStringFor(string database) =>
        $"host={Directory} port={File.ReadAllText(Path.Combine(Directory, "port")).Trim()} user=postgres dbname={database}";

    public async ValueTask DisposeAsync() => await RunAsync("scripts/postgres.sh", "stop", Directory);

    private static async Task RunCheckedAsync(string script, params string[] arguments)
    {
        var (exitCode, _, errors) = await RunAsync(script, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with {exitCode}:\n{errors}");
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string Exported(string output, string name)
    {
        var match = Regex.Match(output, $"^export {name}='([^']*)'$", RegexOptions.Multiline);
        return match.Success
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"scripts/postgres.sh start did not export {name}; it printed:\n{output}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BudgetActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"BudgetActors.sln not found above {AppContext.BaseDirectory}.");
    }
}
