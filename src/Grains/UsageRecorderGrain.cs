using BudgetActors.Grains.Directory;
using BudgetActors.Grains.Ledger;
using BudgetActors.Grains.Telemetry;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace BudgetActors.Grains;

/// <summary>
/// Records usage: written to the ledger, whose unique key makes a retry find the first entry, then
/// charged to every applicable budget. Concurrent retries of one key may run on several silos at
/// once; one of them writes the entry, every one delivers it, and budgets apply it once. The entry
/// keeps the exchange rate the amount was priced at (its outcome), so a retry names the same rate.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class UsageRecorderGrain(ISpendLedger ledger, TenantDirectoryCache directory, Serializer serializer, TimeProvider clock) : Grain, IUsageRecorderGrain
{
    public async Task<UsageResult> Record(string tenantId, string usageId, UsageCommand command)
    {
        var view = await directory.RequireAsync(tenantId);

        // The spend counts in the period of its recorded time — when it happened (the request's
        // timestamp), else when it reached the ledger writer — the same whether a budget applies it now
        // or replays it later: usage of a closed period lands in that period's history.
        var appended = await ledger.AppendOrFindAsync(new LedgerEntry(tenantId, LedgerKeys.Usage(usageId), LedgerEntryKind.Usage, null,
            view.Scopes.Applicable(command.Attributes), command.Attributes, command.Actual, null, command.Fingerprint,
            command.OccurredAt ?? clock.GetUtcNow(), command.ChargedRate is { } rate ? serializer.SerializeToArray(rate) : null,
            Detail: command.Detail));

        var entry = appended.Record.Entry;
        if (!appended.Duplicate) BudgetMetrics.Charged(LedgerEntryKind.Usage, entry.Amount);
        if (appended.Duplicate && entry.Fingerprint != command.Fingerprint)
        {
            throw new BudgetActorsException(ProblemKind.Conflict, "This idempotency key was already used for a usage with a different body.");
        }

        // A retry is answered with the current state of the budgets the first one was charged to;
        // delivering it again is harmless, since budgets apply each ledger entry once.
        var statuses = await Task.WhenAll(entry.BudgetIds.Select(id => view.BudgetGrain(id).Apply(appended.Record.ToSpendEvent(id))));
        var charged = appended.Duplicate ? (entry.Outcome is { } kept ? serializer.Deserialize<ExchangeRate>(kept) : null) : command.ChargedRate;
        return new UsageResult(appended.Duplicate, entry.Amount, [.. statuses.OfType<ApplyResult>().Select(a => a.Status)], charged);
    }
}
