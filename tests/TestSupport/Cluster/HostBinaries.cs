namespace BudgetActors.TestSupport.Cluster;

/// <summary>
/// Where the build put the hosts (hosts/silo, hosts/apihost next to the program that starts them:
/// the tests, or bench/Compare; both import tests/TestSupport/Cluster/CopyHosts.targets) and where their logs go.
/// </summary>
public static class HostBinaries
{
    private static string? logDirectory;

    public static string Silo { get; } = Locate("silo", "BudgetActors.Silo.dll");

    public static string ApiHost { get; } = Locate("apihost", "BudgetActors.ApiHost.dll");

    /// <summary>
    /// One directory per run, so that the logs of a failed run stay readable: logs/&lt;time&gt; next to
    /// the program unless set before the first host starts (bench/Compare puts them with its results).
    /// </summary>
    public static string LogDirectory
    {
        get => logDirectory ??= CreateLogDirectory();
        set => logDirectory = Directory.CreateDirectory(value).FullName;
    }

    private static string Locate(string folder, string dll)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "hosts", folder);
        var path = Path.Combine(directory, dll);
        if (!File.Exists(path) || !File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new InvalidOperationException(
                $"{dll} and its appsettings.json are not in {directory}. The build of Durability.Tests and of bench/Compare copies each " +
                "host's output there (target CopyHostsToOutput): build the project, not only its assembly.");
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
