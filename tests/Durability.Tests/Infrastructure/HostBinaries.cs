namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>Where the build put the hosts (hosts/silo, hosts/apihost next to the tests) and where their logs go.</summary>
public static class HostBinaries
{
    public static string Silo { get; } = Locate("silo", "BudgetActors.Silo.dll");

    public static string ApiHost { get; } = Locate("apihost", "BudgetActors.ApiHost.dll");

    /// <summary>One directory per test run, so that the logs of a failed run stay readable.</summary>
    public static string LogDirectory { get; } = CreateLogDirectory();

    private static string Locate(string folder, string dll)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "hosts", folder);
        var path = Path.Combine(directory, dll);
        if (!File.Exists(path) || !File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new InvalidOperationException(
                $"{dll} and its appsettings.json are not in {directory}. The build of Durability.Tests copies each " +
                "host's output there (target CopyHostsToOutput): build the test project, not only the test assembly.");
        }

        return path;
    }

    private static string CreateLogDirectory()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "logs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
