using System.Globalization;

namespace BudgetActors.Alerts;

/// <summary>How people read a notice: the title and the figures, worded the same in Slack and email.</summary>
public static class NoticeText
{
    /// <summary>Names the budget and what happened, such as "alice-daily crossed 75% of its limit".</summary>
    public static string Title(AlertNotice notice)
    {
        var budget = string.IsNullOrEmpty(notice.BudgetId) ? "A budget" : notice.BudgetId;
        return notice.Type switch
        {
            AlertEventType.ThresholdCrossed when notice.Threshold is { } threshold => $"{budget} crossed {Percent(threshold)} of its {notice.Metric} limit",
            AlertEventType.ThresholdCrossed => $"{budget} crossed an alert threshold",
            AlertEventType.StateChanged => $"{budget} is now {notice.State}",
            AlertEventType.ForecastOverrun => $"{budget} is forecast to pass its {notice.Metric} limit before the period ends",
            AlertEventType.Override => $"{budget}: limit override",
            AlertEventType.Emergency => $"{budget}: emergency allocation used",
            AlertEventType.Test => string.IsNullOrEmpty(notice.BudgetId) ? "Test alert from BudgetActors" : $"Test alert for {notice.BudgetId}",
            _ => $"{budget}: alert",
        };
    }

    /// <summary>A fraction as a percentage, exact to two places: 0.75 → 75%, 0.8123 → 81.23%.</summary>
    public static string Percent(decimal fraction) =>
        (fraction * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>An amount of the notice's metric, exactly as given: "8.00 USD", "1500 tokens".</summary>
    public static string Amount(decimal value, AlertNotice notice)
    {
        var number = value.ToString(CultureInfo.InvariantCulture);
        return notice.Metric switch
        {
            "cost" => notice.Currency is { Length: > 0 } currency ? $"{number} {currency}" : number,
            var metric => $"{number} {metric}",
        };
    }

    public static string Limit(AlertNotice notice) => notice.Limit is { } limit ? Amount(limit, notice) : "none";

    /// <summary>In the offset the notice carries (the budget's time zone, when the grain gives it so).</summary>
    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public static string PeriodEnd(AlertNotice notice) => notice.PeriodEnd is { } end ? Time(end) : "never (a total budget)";
}
