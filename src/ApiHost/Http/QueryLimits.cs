using System.Globalization;
using BudgetActors.Domain;

namespace BudgetActors.ApiHost.Http;

/// <summary>The <c>limit</c> of a paged list, read the same way on every list.</summary>
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
}
