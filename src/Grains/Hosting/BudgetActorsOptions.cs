using Microsoft.Extensions.Configuration;

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

    /// <summary>
    /// How long the API host keeps sending an idempotent request (a check, a write with an
    /// idempotency key) again when a silo that served it died or could not be reached, before it
    /// answers 503. Longer than the time the cluster takes to declare a killed silo dead (about 3 s
    /// with <see cref="FailureDetection"/>'s defaults), so that a crash costs callers latency, not errors;
    /// <c>00:00:00</c> turns the retries off.
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// For 30 s after a silo or gateway was lost, how long the API host waits for one attempt of an
    /// idempotent request before it sends it again: right after a death a call may vanish without a
    /// word (forwarded to the dead silo) and would otherwise wait out the client's response timeout.
    /// <c>00:00:00</c>: attempts wait for the response timeout.
    /// </summary>
    public TimeSpan RetryAttemptTimeout { get; set; } = TimeSpan.FromSeconds(4);
}

public enum StorageProvider
{
    /// <summary>Grain state and reminders in memory, localhost clustering: the embedded default, lost when the process ends.</summary>
    Memory,

    /// <summary>Clustering, grain state, reminders and the spend ledger in PostgreSQL (<c>ConnectionStrings:Postgres</c>).</summary>
    Postgres,
}

/// <summary>Storage settings, bound from the <c>Storage</c> configuration section (env <c>Storage__*</c>).</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary>Orleans' name for the Npgsql ADO.NET provider.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    public StorageProvider Provider { get; set; } = StorageProvider.Memory;

    /// <summary>The Npgsql connection string (<c>ConnectionStrings:Postgres</c>, env <c>ConnectionStrings__Postgres</c>).</summary>
    public string? ConnectionString { get; set; }

    public static StorageSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<StorageSettings>() ?? new();
        settings.ConnectionString ??= configuration.GetConnectionString("Postgres");
        if (settings.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                "Storage:Provider is Postgres but no connection string is set: set ConnectionStrings__Postgres " +
                "(for example 'Host=127.0.0.1;Port=5432;Username=budget;Password=...;Database=budget_actors').");
        }

        return settings;
    }
}
