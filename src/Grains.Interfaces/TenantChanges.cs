namespace BudgetActors;

/// <summary>How long a caller waits for a tenant change: longer than the longest wait for directory leases (two lease times and a margin).</summary>
public static class TenantChanges
{
    public const string Timeout = "00:02:00";
}
