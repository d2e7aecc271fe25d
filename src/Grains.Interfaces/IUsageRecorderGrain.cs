namespace BudgetActors;

/// <summary>
/// Records usage (spend without a reservation): a stateless worker on every silo, so that a usage
/// costs no grain activation of its own. Idempotency needs no grain either: the ledger's unique key
/// makes a retry — even one racing the first attempt on another silo — find the first entry.
/// </summary>
[Alias("BudgetActors.IUsageRecorderGrain")]
public interface IUsageRecorderGrain : IGrainWithIntegerKey
{
    /// <param name="usageId">Derived from the idempotency key (<c>RequestIdentity.UsageId</c>).</param>
    [Alias("Record")]
    Task<UsageResult> Record(string tenantId, string usageId, UsageCommand command);
}
