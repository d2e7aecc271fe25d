namespace BudgetActors.Grains.Hosting;

public enum OrleansMode
{
    /// <summary>The process runs a silo (the API host co-hosts one by default).</summary>
    Silo,

    /// <summary>The process joins a running cluster as a client.</summary>
    Client,
}

/// <summary>Cluster settings, bound from the <c>Orleans</c> configuration section (env <c>Orleans__*</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    public OrleansMode Mode { get; set; } = OrleansMode.Silo;
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public string ClusterId { get; set; } = "budget-actors";
    public string ServiceId { get; set; } = "budget-actors";

    /// <summary>With localhost clustering, the silo port of the silo that the others join.</summary>
    public int PrimarySiloPort { get; set; } = 11111;
}

public enum StorageProvider
{
    /// <summary>Grain state and reminders in memory: the embedded default, lost when the process ends.</summary>
    Memory,
}

/// <summary>Storage settings, bound from the <c>Storage</c> configuration section (env <c>Storage__*</c>).</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Memory;
}
