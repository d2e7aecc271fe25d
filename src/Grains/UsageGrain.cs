using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;

namespace BudgetActors.Grains;

/// <summary>
/// One recorded usage (key <c>tenant/use-…</c>, from its idempotency key): written to the ledger,
/// whose unique key makes a retry find the first entry, then charged to every applicable budget.
/// One activation per key, so concurrent retries of a key queue here rather than race.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class UsageGrain(ISpendLedger ledger, TenantDirectoryCache directory, TimeProvider clock) : Grain, IUsageGrain
{
    public async Task<UsageResult> Record(UsageCommand command)
    {
        var (tenantId, usageId) = BudgetKey.Split(this.GetPrimaryKeyString());
        var view = await directory.GetAsync(tenantId) ?? throw BudgetActorsException.TenantNotFound(tenantId);

        // The spend counts in the period of its recorded time (the time it reached the ledger writer),
        // the same whether a budget applies it now or replays it later.
        var appended = await ledger.AppendOrFindAsync(new LedgerEntry(tenantId, LedgerKeys.Usage(usageId), LedgerEntryKind.Usage, null,
            view.Scopes.Applicable(command.Attributes), command.Attributes, command.Actual, null, command.Fingerprint,
            clock.GetUtcNow(), null));

        var entry = appended.Record.Entry;
        if (appended.Duplicate && entry.Fingerprint != command.Fingerprint)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, "This idempotency key was already used for a usage with a different body.");
        }

        // A retry is answered with the current state of the budgets the first one was charged to;
        // delivering it again is harmless, since budgets apply each ledger entry once.
        var statuses = await Task.WhenAll(entry.BudgetIds.Select(id => view.BudgetGrain(id).Apply(appended.Record.ToSpendEvent(id))));
        return new UsageResult(appended.Duplicate, entry.Amount, [.. statuses.OfType<ApplyResult>().Select(a => a.Status)]);
    }
}
