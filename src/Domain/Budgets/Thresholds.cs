using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Fractions of a limit at which a budget warns, throttles and blocks.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Thresholds")]
public sealed record Thresholds(
    [property: Id(0)] decimal Warn,
    [property: Id(1)] decimal Throttle,
    [property: Id(2)] decimal Block)
{
    public static readonly Thresholds Default = new(0.75m, 0.90m, 1.00m);
}
