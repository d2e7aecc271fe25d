namespace BudgetActors.Grains.Ledger;

/// <summary>
/// The idempotency keys of ledger entries, unique per tenant: a retried append finds the first entry.
/// A reservation's hold and its refusal share one key, so exactly one of them can be stored.
/// </summary>
public static class LedgerKeys
{
    public static string Hold(string reservationId) => "hold:" + reservationId;

    public static string Release(string reservationId) => "release:" + reservationId;

    public static string Commit(string reservationId) => "commit:" + reservationId;

    public static string Void(string reservationId) => "void:" + reservationId;

    public static string Usage(string usageId) => "usage:" + usageId;

    public static string Fence(string budgetId, Guid activation) => $"fence:{budgetId}:{activation:N}";

    /// <summary>One manual reset of a budget; every reset is a new one.</summary>
    public static string Reset(string budgetId, Guid reset) => $"reset:{budgetId}:{reset:N}";

    /// <summary>The <paramref name="use"/>-th emergency use of a budget in the period from <paramref name="periodStart"/>: two callers racing for the same use store one.</summary>
    public static string Emergency(string budgetId, DateTimeOffset periodStart, int use) =>
        $"emergency:{budgetId}:{periodStart.UtcTicks}:{use}";
}
