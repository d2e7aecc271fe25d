namespace BudgetActors.Domain;

/// <summary>What kind of thing a budget noticed that is worth an alert.</summary>
public enum AlertFactKind
{
    /// <summary>Utilization first reached one of the alert policy's thresholds this period.</summary>
    Threshold,

    /// <summary>The budget first reached a state this period (warning, throttled, blocked).</summary>
    State,

    /// <summary>The budget's forecast has spend pass the limit before the period ends.</summary>
    Forecast,
}
