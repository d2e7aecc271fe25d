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

[GenerateSerializer, Alias("BudgetActors.EnforcementMode")]
public enum EnforcementMode
{
    /// <summary>Nothing is admitted that would take spend + reserved past block × limit.</summary>
    Hard,

    /// <summary>Never blocks or throttles; only reports.</summary>
    Soft,
}

/// <summary>How a budget's period is cut: calendar-aligned in an IANA time zone.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodSpec")]
public sealed record PeriodSpec(
    [property: Id(0)] PeriodType Type,
    [property: Id(1)] string TimeZone);

/// <summary>Limits per metric; a null limit means the metric is reported but not limited.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Limits")]
public sealed record Limits(
    [property: Id(0)] decimal? Cost,
    [property: Id(1)] long? Tokens,
    [property: Id(2)] long? Operations);

/// <summary>Fractions of a limit at which a budget warns, throttles and blocks.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Thresholds")]
public sealed record Thresholds(
    [property: Id(0)] decimal Warn,
    [property: Id(1)] decimal Throttle,
    [property: Id(2)] decimal Block)
{
    public static readonly Thresholds Default = new(0.75m, 0.90m, 1.00m);
}

/// <summary>
/// A budget as its tenant defined it. <see cref="Scope"/> maps attribute names to values (a value
/// ending in <c>*</c> matches by prefix); an empty scope is the whole tenant.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetDefinition")]
public sealed record BudgetDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Scope,
    [property: Id(2)] PeriodSpec Period,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] Thresholds Thresholds,
    [property: Id(5)] EnforcementMode Mode,
    [property: Id(6)] string? DowngradeTo);
