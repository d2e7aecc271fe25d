using System.Collections.Immutable;

namespace BudgetActors.Domain.Reports;

/// <summary>A budget's daily spend over the last days up to today, every day present (zeros included).</summary>
public static class TrendBuilder
{
    /// <param name="totals">The budget's total rows (any days; others are ignored).</param>
    public static ImmutableArray<TrendDay> Build(DateOnly today, int days, IEnumerable<KeyValuePair<DateOnly, SpendAggregate>> totals)
    {
        var first = today.AddDays(1 - days);
        var byDay = new Dictionary<DateOnly, SpendAggregate>();
        foreach (var (day, aggregate) in totals)
        {
            if (day < first || day > today)
            {
                continue;
            }

            if (!byDay.TryGetValue(day, out var merged))
            {
                byDay[day] = merged = new SpendAggregate();
            }

            merged.Merge(aggregate);
        }

        var trend = ImmutableArray.CreateBuilder<TrendDay>(days);
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            trend.Add(byDay.TryGetValue(day, out var spend)
                ? new TrendDay(day, spend.Cost, spend.Tokens, spend.Operations, spend.Count)
                : new TrendDay(day, 0m, 0m, 0m, 0));
        }

        return trend.MoveToImmutable();
    }
}
