using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BudgetActors.LedgerBench;

/// <summary>The benchmark's own PostgreSQL server, started and stopped with scripts/postgres.sh (schema applied).</summary>
public sealed partial class PrivatePostgres : IAsyncDisposable
{
    private readonly string directory;

    private PrivatePostgres(string directory, string connectionString) =>
        (this.directory, ConnectionString) = (directory, connectionString);

    public string ConnectionString { get; }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<PrivatePostgres> StartAsync()
    {
        var (exitCode, output, errors) = await RunAsync("start");
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                "Could not start a private PostgreSQL server with scripts/postgres.sh: install PostgreSQL's server binaries " +
                $"and psql (apt-get install postgresql) or set PG_BIN.\n{errors}");
        }

        return new PrivatePostgres(Exported(output, "PGDIR"), Exported(output, "BUDGETACTORS_POSTGRES"));
    }

    public async ValueTask DisposeAsync() => await RunAsync("stop", directory);

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "postgres.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private static string Exported(string output, string name)
    {
        var match = Regex.Match(output, $"^export {name}='([^']*)'$", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"scripts/postgres.sh did not export {name}:\n{output}");
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
