using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Told by a tenant grain that a cached directory is stale and must be dropped.</summary>
[Alias("BudgetActors.ITenantDirectoryObserver")]
public interface ITenantDirectoryObserver : IGrainObserver
{
    [Alias("Invalidate")]
    Task Invalidate(string tenantId);
}
