using System.Collections.Immutable;
using BudgetActors.Domain.Jobs;

namespace BudgetActors.Domain.Reports;

/// <summary>Makes the <see cref="SpendDetail"/> of a priced charge, its parts adding up to the charge.</summary>
public static class SpendDetails
{
    /// <summary>A job's detail: each resource's part times the environment multiplier, split so the parts make <see cref="JobCostBreakdown.Total"/>.</summary>
    public static SpendDetail ForJob(JobUsage usage, JobCostBreakdown price)
    {
        string[] names = [SpendComponents.Cpu, SpendComponents.Memory, SpendComponents.Payload, SpendComponents.Ops, SpendComponents.Network, SpendComponents.Base];
        decimal[] exact =
        [
            .. new[] { price.Cpu, price.Memory, price.Payload, price.StoreOperations, price.Network, price.Base }
                .Select(part => JobCostCalculator.Times(part, price.Multiplier)),
        ];
        return new SpendDetail(null, null, usage, price.Multiplier, Components(names, exact, price.Total));
    }

    /// <summary>An LLM call's detail from its priced lines (exact costs by <see cref="SpendComponents"/> name), split so they make <paramref name="charged"/>.</summary>
    public static SpendDetail ForLlm(string model, LlmTokenCounts tokens, IReadOnlyList<KeyValuePair<string, decimal>> exactLines, decimal charged)
    {
        // Lines of one kind (the two cache-write durations) are one part.
        var byName = exactLines.GroupBy(l => l.Key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Sum(l => l.Value))).ToList();
        return new SpendDetail(model, tokens, null, null, Components([.. byName.Select(l => l.Key)], [.. byName.Select(l => l.Value)], charged));
    }

    private static ImmutableSortedDictionary<string, decimal> Components(string[] names, decimal[] exact, decimal total)
    {
        var parts = CostAllocation.Allocate(exact, total);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (parts[i] != 0m)
            {
                builder[names[i]] = parts[i];
            }
        }

        // What the parts cannot make (never, for prices in range) is said as such rather than lost.
        var residue = total - parts.Sum();
        if (residue != 0m)
        {
            builder[SpendComponents.Other] = residue + builder.GetValueOrDefault(SpendComponents.Other);
        }

        return builder.ToImmutable();
    }
}
