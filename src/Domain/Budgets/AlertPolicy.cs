using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// When a budget raises alerts and where they go. A threshold is a fraction of the limit (as the
/// budget's utilization reports it): each is alerted at most once per period, however spend hovers.
/// A move to <c>throttled</c> or <c>blocked</c>, a forecast overrun (with <see cref="Forecast"/>),
/// overrides and emergency use are alerted too. <see cref="CooldownMinutes"/> and
/// <see cref="MaxPerHour"/> hold back deliveries per budget and channel; held-back alerts stay in the
/// feed, marked suppressed.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.AlertPolicy")]
public sealed record AlertPolicy(
    [property: Id(0)] ImmutableArray<decimal> Thresholds,
    [property: Id(1)] ImmutableArray<string> Channels,
    [property: Id(2)] int CooldownMinutes,
    [property: Id(3)] int MaxPerHour,
    [property: Id(4)] bool Forecast,
    [property: Id(5)] EscalationPolicy? Escalation)
{
    public static readonly ImmutableArray<decimal> DefaultThresholds = [0.5m, 0.75m, 0.9m, 1.0m];
    public const int DefaultCooldownMinutes = 60;
    public const int DefaultMaxPerHour = 10;

    // By content: definitions are compared to know whether a budget must apply a change.
    public bool Equals(AlertPolicy? other) =>
        other is not null && Thresholds.SequenceEqual(other.Thresholds) && Channels.SequenceEqual(other.Channels)
        && CooldownMinutes == other.CooldownMinutes && MaxPerHour == other.MaxPerHour && Forecast == other.Forecast
        && Equals(Escalation, other.Escalation);

    public override int GetHashCode() => HashCode.Combine(Thresholds.Length, Channels.Length, CooldownMinutes, MaxPerHour, Forecast, Escalation);
}
