using Microsoft.Extensions.Logging;

namespace BudgetActors.Grains.Audit;

public static class AuditLogExtensions
{
    /// <summary>
    /// Records an event by the current <see cref="AuditActor"/>. Never throws: the trail must not fail
    /// the change or the admission it describes. The task ends when the event is stored; a change
    /// awaits it (so that a read right after sees it), the admission path does not.
    /// </summary>
    public static async Task RecordEvent(this IAuditLog log, ILogger logger, string tenantId, string type, DateTimeOffset at,
        string? budgetId = null, object? details = null)
    {
        try
        {
            await log.Record(new AuditRecord(tenantId, type, at, AuditActor.Current, budgetId, AuditRecord.Json(details)));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Audit event {Type} of tenant {Tenant} not recorded", type, tenantId);
        }
    }
}
