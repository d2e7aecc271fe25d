using System.Globalization;
using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Http;

/// <summary>The <c>limit</c> of a paged list and the times of its filters, read the same way on every list.</summary>
public static class QueryLimits
{
    public static int Limit(string? text, int byDefault, int max, RequestErrors errors)
    {
        if (text is null)
        {
            return byDefault;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        errors.Add("limit", $"A whole number from 1 to {max}.");
        return byDefault;
    }

    /// <summary>
    /// A page's <c>cursor</c>: the <c>next</c> of an earlier page, a ledger or trail sequence of at least
    /// <paramref name="minimum"/>; null when absent.
    /// </summary>
    public static long? Cursor(string? text, RequestErrors errors, long minimum = 0)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) && cursor >= minimum)
        {
            return cursor;
        }

        errors.Add("cursor", "A cursor from the 'next' of an earlier page.");
        return null;
    }

    /// <summary>A filter's time (<c>since</c>, <c>until</c>): RFC 3339 with its offset, or null when absent.</summary>
    public static DateTimeOffset? Time(string? text, string field, RequestErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && text.Contains('T'))
        {
            return time;
        }

        errors.Add(field, "An RFC 3339 time with its offset, e.g. 2026-12-01T09:00:00+01:00.");
        return null;
    }
}
