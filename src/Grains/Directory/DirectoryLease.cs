namespace BudgetActors.Grains.Directory;

/// <summary>
/// How long a cached tenant directory may be used without asking the tenant grain again. The tenant
/// grain tells every lease holder before a change takes effect, or waits the lease out when a holder
/// does not answer, so a cache never serves a stale directory. Leases are measured in real elapsed
/// time on each side (never business time, which tests fake), the holder counting from before it asked.
/// </summary>
public static class DirectoryLease
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    /// <summary>How long the tenant grain waits for a holder to drop its copy before waiting out its lease.</summary>
    public static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(5);
}
