namespace BudgetActors.Alerts;

/// <summary>What an alert is about; the webhook body's <c>type</c> (<see cref="AlertEventTypes"/>).</summary>
[GenerateSerializer, Alias("BudgetActors.Alerts.AlertEventType")]
public enum AlertEventType
{
    /// <summary><c>budget.threshold_crossed</c>: utilization first reached one of the budget's alert thresholds this period.</summary>
    ThresholdCrossed = 1,

    /// <summary><c>budget.state_changed</c>: the budget became throttled or blocked.</summary>
    StateChanged = 2,

    /// <summary><c>budget.forecast_overrun</c>: the forecast passes the limit before the period ends.</summary>
    ForecastOverrun = 3,

    /// <summary><c>budget.override</c>: an override was requested, approved, rejected or expired.</summary>
    Override = 4,

    /// <summary><c>budget.emergency</c>: emergency allocation was used.</summary>
    Emergency = 5,

    /// <summary><c>budget.test</c>: <c>POST …/channels/{id}/test</c>.</summary>
    Test = 6,
}
