using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.PeriodType")]
public enum PeriodType
{
    Daily,
    Weekly,
    Monthly,
    Total,
}
