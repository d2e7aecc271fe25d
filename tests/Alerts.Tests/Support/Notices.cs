namespace BudgetActors.Alerts.Tests.Support;

public static class Notices
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 12, 1, 14, 3, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset PeriodEnd = new(2026, 12, 2, 0, 0, 0, TimeSpan.FromHours(1));

    /// <summary>alice-daily at 80% of 10.00 USD, having crossed 75%.</summary>
    public static AlertNotice Threshold(string tenant = "acme", string alertId = "al-1", string budgetId = "alice-daily") =>
        new(AlertEventType.ThresholdCrossed, tenant, budgetId, alertId, 0.75m, 0.80m, "warning", 8.00m, 10.00m, PeriodEnd,
            $"{budgetId} reached 75% of its daily cost limit", CreatedAt, "USD");
}
