using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Alias("BudgetActors.PeriodType")]
public enum PeriodType
{
    Daily,
    Weekly,
    Monthly,
    Total,

    /// <summary>Fixed-length periods (<c>lengthMinutes</c>) one after another from <c>start</c>.</summary>
    Custom,

    /// <summary>Spend of the last <c>windowMinutes</c>, kept in buckets; it never rolls over, it slides.</summary>
    Rolling,
}
