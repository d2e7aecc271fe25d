namespace BudgetActors.Alerts;

/// <summary>Where the outbox keeps deliveries: the host's storage provider.</summary>
public enum AlertStorage
{
    /// <summary>In this process's memory, lost when it ends (the embedded default).</summary>
    Memory,

    /// <summary>In PostgreSQL (table <c>alert_outbox</c>), shared by every silo and kept across restarts.</summary>
    Postgres,
}
