using System.Collections.Immutable;
using System.Globalization;

namespace BudgetActors.Domain.Reports;

/// <summary>
/// Builds a report from the tenant's daily aggregate rows of its days: the total (the total rows),
/// one group per value of the groupBy dimension (its rows merged over the days), the five largest
/// as top drivers, and recommendations worked out from those numbers:
/// <list type="bullet">
/// <item>a group of at least a quarter of the spend whose p95 charge costs at least 3× its median;</item>
/// <item>spend without the grouped attribute (or under no budget) of at least a tenth of the total;</item>
/// <item>a model that makes at least half of a user's spend (or of the tenant's, without users) where
/// the same tokens on a cheaper model of its provider would have cost at most half, and that is at
/// least 5 % of all spend: the three that would have saved most.</item>
/// </list>
/// </summary>
public static class ReportBuilder
{
    public const int TopDriverCount = 5;
    public const decimal TailShare = 0.25m;
    public const decimal TailRatio = 3m;
    public const decimal UnattributedShare = 0.10m;
    public const decimal ModelShareOfUser = 0.5m;
    public const decimal ModelShareOfTotal = 0.05m;
    public const decimal CheaperAtMost = 0.5m;
    public const int ModelRecommendations = 3;

    /// <param name="rows">The tenant's rows (<see cref="SpendDimension.WholeTenant"/>) of the report's days, of the dimensions total, groupBy, user-model and model.</param>
    public static SpendReport Build(DateOnly from, DateOnly to, string currency, string groupBy,
        IEnumerable<KeyValuePair<AggregateKey, SpendAggregate>> rows, IModelAlternatives? alternatives = null)
    {
        var total = new SpendAggregate();
        var groups = new Dictionary<string, SpendAggregate>(StringComparer.Ordinal);
        var userModels = new Dictionary<string, SpendAggregate>(StringComparer.Ordinal);
        var models = new Dictionary<string, SpendAggregate>(StringComparer.Ordinal);
        foreach (var (key, aggregate) in rows)
        {
            if (key.Day < from || key.Day > to || key.BudgetId != SpendDimension.WholeTenant)
            {
                continue;
            }

            if (key.Dimension == SpendDimension.Total)
            {
                total.Merge(aggregate);
            }

            if (key.Dimension == groupBy)
            {
                MergeInto(groups, key.Value, aggregate);
            }

            if (key.Dimension == SpendDimension.UserModel)
            {
                MergeInto(userModels, key.Value, aggregate);
            }

            if (key.Dimension == SpendDimension.Model)
            {
                MergeInto(models, key.Value, aggregate);
            }
        }

        var reportGroups = groups
            .OrderByDescending(g => g.Value.Cost).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => GroupOf(g.Key.Length == 0 ? null : g.Key, g.Value, total.Cost))
            .ToImmutableArray();
        var recommendations = new List<string>();
        Tails(groupBy, groups, total, recommendations);
        Unattributed(groupBy, groups, total, currency, recommendations);
        if (alternatives is not null)
        {
            CheaperModels(userModels, models, total.Cost, to, currency, alternatives, recommendations);
        }

        return new SpendReport(from, to, currency,
            new ReportTotal(total.Cost, total.Tokens, total.Operations, total.Count),
            reportGroups, [.. reportGroups.Take(TopDriverCount)], [.. recommendations]);
    }

    public static ReportGroup GroupOf(string? key, SpendAggregate aggregate, decimal totalCost)
    {
        var components = ImmutableSortedDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < aggregate.Components.Length; i++)
        {
            if (aggregate.Components[i] != 0m)
            {
                components[SpendComponents.Reported[i]] = aggregate.Components[i];
            }
        }

        var p95 = aggregate.Sketch.Quantile(0.95) ?? 0m;
        return new ReportGroup(key, aggregate.Count, aggregate.Cost, ShareOf(aggregate.Cost, totalCost),
            Amount.RoundCost(aggregate.Average ?? 0m), aggregate.MinCost, aggregate.MaxCost,
            Amount.RoundCost(Math.Clamp(p95, aggregate.MinCost, aggregate.MaxCost)), components.ToImmutable(),
            aggregate.Tokens, aggregate.Operations);
    }

    public static decimal ShareOf(decimal part, decimal whole) => whole == 0m ? 0m : Math.Round(part / whole, 6, MidpointRounding.ToEven);

    private static void MergeInto(Dictionary<string, SpendAggregate> into, string key, SpendAggregate aggregate)
    {
        if (!into.TryGetValue(key, out var merged))
        {
            into[key] = merged = new SpendAggregate();
        }

        merged.Merge(aggregate);
    }

    private static void Tails(string groupBy, Dictionary<string, SpendAggregate> groups, SpendAggregate total, List<string> into)
    {
        foreach (var (key, group) in groups.Where(g => g.Key.Length > 0).OrderByDescending(g => g.Value.Cost).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var share = ShareOf(group.Cost, total.Cost);
            var median = group.Sketch.Quantile(0.5);
            var p95 = group.Sketch.Quantile(0.95);
            if (share < TailShare || median is not > 0m || p95 is null)
            {
                continue;
            }

            p95 = Math.Clamp(p95.Value, group.MinCost, group.MaxCost);
            median = Math.Clamp(median.Value, group.MinCost, group.MaxCost);
            var ratio = p95.Value / median.Value;
            if (ratio >= TailRatio)
            {
                into.Add($"{groupBy} {key} is {Percent(share)} of spend and its p95 {ChargeWord(group)} costs {Times(ratio)} its median " +
                    $"({Money(p95.Value)} against {Money(median.Value)}): its largest {ChargeWord(group)}s are where to look first.");
            }
        }
    }

    private static void Unattributed(string groupBy, Dictionary<string, SpendAggregate> groups, SpendAggregate total, string currency, List<string> into)
    {
        if (!groups.TryGetValue("", out var none))
        {
            return;
        }

        var share = ShareOf(none.Cost, total.Cost);
        if (share < UnattributedShare)
        {
            return;
        }

        into.Add(groupBy == SpendDimension.Budget
            ? $"{Percent(share)} of spend ({Money(none.Cost)} {currency}) was charged to no budget: nothing limits it; a budget of the whole tenant would."
            : $"{Percent(share)} of spend ({Money(none.Cost)} {currency}) has no {groupBy} attribute: send {groupBy} with each request to see where it goes.");
    }

    private static void CheaperModels(Dictionary<string, SpendAggregate> userModels, Dictionary<string, SpendAggregate> models, decimal totalCost, DateOnly day,
        string currency, IModelAlternatives alternatives, List<string> into)
    {
        // Per user when charges name users; else the tenant's models.
        var candidates = new List<(string? User, string Model, SpendAggregate Spend, decimal OwnerCost)>();
        if (userModels.Count > 0)
        {
            var byUser = userModels
                .GroupBy(p => p.Key[..p.Key.IndexOf(SpendDimension.Separator)], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value.Cost), StringComparer.Ordinal);
            foreach (var (key, spend) in userModels)
            {
                var cut = key.IndexOf(SpendDimension.Separator);
                candidates.Add((key[..cut], key[(cut + 1)..], spend, byUser[key[..cut]]));
            }
        }
        else
        {
            var all = models.Sum(m => m.Value.Cost);
            candidates.AddRange(models.Where(m => m.Key.Length > 0).Select(m => ((string?)null, m.Key, m.Value, all)));
        }

        var found = new List<(decimal Saving, string Text)>();
        foreach (var (user, model, spend, ownerCost) in candidates)
        {
            var share = ShareOf(spend.Cost, ownerCost);
            if (share < ModelShareOfUser || ShareOf(spend.Cost, totalCost) < ModelShareOfTotal || spend.Cost <= 0m || spend.LlmTokens.All(t => t == 0m))
            {
                continue;
            }

            var tokens = new LlmTokenCounts(Long(spend.LlmTokens[0]), Long(spend.LlmTokens[1]), Long(spend.LlmTokens[2]), Long(spend.LlmTokens[3]), Long(spend.LlmTokens[4]));
            if (alternatives.CheaperThan(model, tokens, spend.Cost, day) is not { } cheaper || cheaper.Cost > spend.Cost * CheaperAtMost)
            {
                continue;
            }

            var whose = user is null ? "spend" : $"{user}'s spend";
            found.Add((spend.Cost - cheaper.Cost,
                $"{model} is {Percent(share)} of {whose}; {cheaper.Model} would have cost {Money(cheaper.Cost)} instead of {Money(spend.Cost)} {currency} for the same tokens."));
        }

        into.AddRange(found.OrderByDescending(f => f.Saving).ThenBy(f => f.Text, StringComparer.Ordinal).Take(ModelRecommendations).Select(f => f.Text));
    }

    private static long Long(decimal tokens) => tokens >= long.MaxValue ? long.MaxValue : (long)tokens;

    // A group of mostly job parts is jobs, of mostly LLM parts calls; otherwise charges.
    private static string ChargeWord(SpendAggregate group)
    {
        var llm = group.Components[0] + group.Components[1] + group.Components[2] + group.Components[3];
        var job = group.Components[4] + group.Components[5] + group.Components[6] + group.Components[7] + group.Components[8];
        return job * 2 > group.Cost ? "job" : llm * 2 > group.Cost ? "call" : "charge";
    }

    /// <summary>A share as a whole percent ("62 %"), or with one decimal under 10 %.</summary>
    public static string Percent(decimal share)
    {
        var percent = share * 100m;
        return (percent < 10m && percent != Math.Round(percent)
            ? Math.Round(percent, 1, MidpointRounding.ToEven).ToString("0.0", CultureInfo.InvariantCulture)
            : Math.Round(percent, 0, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture)) + " %";
    }

    /// <summary>Money in a sentence: two decimals, more (up to six) for amounts under a cent.</summary>
    public static string Money(decimal amount) =>
        Math.Abs(amount) >= 0.01m
            ? Math.Round(amount, 2, MidpointRounding.ToEven).ToString("0.00", CultureInfo.InvariantCulture)
            : Math.Round(amount, 6, MidpointRounding.ToEven).ToString("0.00####", CultureInfo.InvariantCulture);

    private static string Times(decimal ratio) => Math.Round(ratio, 1, MidpointRounding.ToEven).ToString("0.0", CultureInfo.InvariantCulture) + "×";
}
