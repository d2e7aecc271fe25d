using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// How a budget's period is cut: calendar-aligned in an IANA time zone (daily, weekly, monthly),
/// fixed-length from a start (custom), a sliding window (rolling), or never (total).
/// </summary>
/// <param name="Start">Custom periods: where the first one starts.</param>
/// <param name="LengthMinutes">Custom periods: their length.</param>
/// <param name="WindowMinutes">Rolling windows: how far back spend counts.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodSpec")]
public sealed record PeriodSpec(
    [property: Id(0)] PeriodType Type,
    [property: Id(1)] string TimeZone,
    [property: Id(2)] DateTimeOffset? Start = null,
    [property: Id(3)] int? LengthMinutes = null,
    [property: Id(4)] int? WindowMinutes = null);
