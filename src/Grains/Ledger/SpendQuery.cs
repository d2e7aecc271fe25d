using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Ledger;

/// <summary>
/// A page of a tenant's spend records (<see cref="ISpendLedger.ReadSpendAsync"/>): entries with a
/// sequence below <paramref name="Before"/> (null: from the newest), charged to <paramref name="BudgetId"/>
/// if given, with the given user, model and queue (model: the attribute, else the model the detail
/// was priced as), recorded at or after <paramref name="Since"/> and before <paramref name="Until"/>.
/// </summary>
public sealed record SpendQuery(
    string TenantId,
    string? BudgetId = null,
    string? User = null,
    string? Model = null,
    string? Queue = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long? Before = null,
    int Limit = 100)
{
    /// <summary>Whether an entry is spend of the tenant that passes every filter but the cursor.</summary>
    public bool Matches(LedgerEntry entry) =>
        entry.Kind is LedgerEntryKind.Usage or LedgerEntryKind.Commit
        && entry.TenantId == TenantId
        && (BudgetId is null || entry.BudgetIds.Contains(BudgetId))
        && (User is null || entry.Attributes.GetValueOrDefault("user") == User)
        && (Model is null || SpendDimension.ValueOf(SpendDimension.Model, entry.Attributes, entry.Detail) == Model)
        && (Queue is null || entry.Attributes.GetValueOrDefault("queue") == Queue)
        && (Since is null || entry.RecordedAt >= Since)
        && (Until is null || entry.RecordedAt < Until);
}
