using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.EnforcementMode")]
public enum EnforcementMode
{
    /// <summary>Nothing is admitted that would take spend + reserved past block × limit.</summary>
    Hard,

    /// <summary>Never blocks or throttles; only reports.</summary>
    Soft,
}
