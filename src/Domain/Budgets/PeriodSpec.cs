using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>How a budget's period is cut: calendar-aligned in an IANA time zone.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodSpec")]
public sealed record PeriodSpec(
    [property: Id(0)] PeriodType Type,
    [property: Id(1)] string TimeZone);
