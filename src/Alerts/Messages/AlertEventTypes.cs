using System.Diagnostics.CodeAnalysis;

namespace BudgetActors.Alerts;

/// <summary>The wire names of <see cref="AlertEventType"/> (API.md: the webhook body's <c>type</c>).</summary>
public static class AlertEventTypes
{
    public const string ThresholdCrossed = "budget.threshold_crossed";
    public const string StateChanged = "budget.state_changed";
    public const string ForecastOverrun = "budget.forecast_overrun";
    public const string Override = "budget.override";
    public const string Emergency = "budget.emergency";
    public const string Test = "budget.test";

    public static string ToWire(this AlertEventType type) => type switch
    {
        AlertEventType.ThresholdCrossed => ThresholdCrossed,
        AlertEventType.StateChanged => StateChanged,
        AlertEventType.ForecastOverrun => ForecastOverrun,
        AlertEventType.Override => Override,
        AlertEventType.Emergency => Emergency,
        AlertEventType.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown alert type."),
    };

    public static bool TryParse([NotNullWhen(true)] string? name, out AlertEventType type)
    {
        type = name switch
        {
            ThresholdCrossed => AlertEventType.ThresholdCrossed,
            StateChanged => AlertEventType.StateChanged,
            ForecastOverrun => AlertEventType.ForecastOverrun,
            Override => AlertEventType.Override,
            Emergency => AlertEventType.Emergency,
            Test => AlertEventType.Test,
            _ => default,
        };
        return type != default;
    }
}
