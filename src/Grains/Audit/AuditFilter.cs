namespace BudgetActors.Grains.Audit;

/// <summary>What a query's filters mean, in one place for every store (the SQL of the PostgreSQL store says the same).</summary>
internal static class AuditFilter
{
    public static bool Matches(AuditQuery query, AuditEvent e) =>
        (query.BudgetId is null || e.BudgetId == query.BudgetId)
        && (query.Type is null || e.Type == query.Type)
        && (query.Since is not { } since || e.At >= since)
        && (query.Until is not { } until || e.At < until);
}
