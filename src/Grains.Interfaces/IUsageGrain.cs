using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>One recorded usage (key <c>tenant/idempotency-hash</c>): charged once, whatever the retries.</summary>
[Alias("BudgetActors.IUsageGrain")]
public interface IUsageGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task<UsageResult> Record(UsageCommand command);
}
