using System.Globalization;

namespace BudgetActors.Domain.Reports;

/// <summary>The rules of a report's and a trend's query parameters, with the API's field names.</summary>
public static class ReportRules
{
    public const int MaxDays = 366;
    public const int DefaultTrendDays = 30;

    /// <summary>from and to (YYYY-MM-DD, required, from ≤ to, at most <see cref="MaxDays"/> days together) and groupBy (default budget).</summary>
    public static (DateOnly From, DateOnly To, string GroupBy) Report(string? from, string? to, string? groupBy, RequestErrors errors)
    {
        var first = Date(from, "from", errors);
        var last = Date(to, "to", errors);
        if (first is { } f && last is { } l)
        {
            if (f > l)
            {
                errors.Add("from", "Must not be after 'to'.");
            }
            else if (l.DayNumber - f.DayNumber + 1 > MaxDays)
            {
                errors.Add("to", $"A report covers at most {MaxDays} days.");
            }
        }

        groupBy ??= SpendDimension.Budget;
        if (!SpendDimension.GroupBys.Contains(groupBy))
        {
            errors.Add("groupBy", $"One of: {string.Join(", ", SpendDimension.GroupBys)}.");
        }

        return (first ?? default, last ?? default, groupBy);
    }

    /// <summary>days: 1 to <see cref="MaxDays"/>, default <see cref="DefaultTrendDays"/>.</summary>
    public static int TrendDays(string? days, RequestErrors errors)
    {
        if (days is null)
        {
            return DefaultTrendDays;
        }

        if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= MaxDays)
        {
            return value;
        }

        errors.Add("days", $"A whole number from 1 to {MaxDays}.");
        return DefaultTrendDays;
    }

    private static DateOnly? Date(string? text, string field, RequestErrors errors)
    {
        if (text is null)
        {
            errors.Add(field, "Required: a date, YYYY-MM-DD (a day of the tenant's time zone).");
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, "A date, YYYY-MM-DD (a day of the tenant's time zone).");
        return null;
    }
}
