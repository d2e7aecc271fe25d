namespace BudgetActors.Domain.Reports;

/// <summary>
/// The spend of one group on one day (or, merged, over many): how many charges, their cost, tokens
/// and operations, the cost by component, the LLM tokens by kind, and the spread of cost per charge
/// (exact min and max, a <see cref="QuantileSketch"/> for the percentiles). Sums are exact decimals;
/// merging two is the same as folding their charges into one. Not thread-safe.
/// </summary>
public sealed class SpendAggregate
{
    public long Count { get; private set; }

    public decimal Cost { get; private set; }

    public decimal Tokens { get; private set; }

    public decimal Operations { get; private set; }

    /// <summary>Cost by <see cref="SpendComponents.Reported"/> component, in that order; they add up to <see cref="Cost"/>.</summary>
    public decimal[] Components { get; } = new decimal[SpendComponents.Reported.Count];

    /// <summary>LLM tokens by kind: input, cached input, cache write, output, reasoning.</summary>
    public decimal[] LlmTokens { get; } = new decimal[5];

    public decimal MinCost { get; private set; }

    public decimal MaxCost { get; private set; }

    public QuantileSketch Sketch { get; private set; } = new();

    public decimal? Average => Count == 0 ? null : Cost / Count;

    /// <summary>Folds in one charge.</summary>
    public void Add(Amount amount, SpendDetail? detail)
    {
        var cost = amount.Cost;
        MinCost = Count == 0 ? cost : Math.Min(MinCost, cost);
        MaxCost = Count == 0 ? cost : Math.Max(MaxCost, cost);
        Count++;
        Cost += cost;
        Tokens += amount.Tokens;
        Operations += amount.Operations;
        Sketch.Add(Math.Max(cost, 0m));

        var attributed = 0m;
        if (detail is not null)
        {
            foreach (var (name, part) in detail.Components)
            {
                Components[SpendComponents.ReportedIndexOf(name)] += part;
                attributed += part;
            }

            if (detail.Tokens is { } tokens)
            {
                LlmTokens[0] += tokens.Input;
                LlmTokens[1] += tokens.CachedInput;
                LlmTokens[2] += tokens.CacheWrite;
                LlmTokens[3] += tokens.Output;
                LlmTokens[4] += tokens.Reasoning;
            }
        }

        // Whatever no part explains is "other", so the components always make the cost.
        Components[^1] += cost - attributed;
    }

    public void Merge(SpendAggregate other)
    {
        if (other.Count == 0)
        {
            return;
        }

        MinCost = Count == 0 ? other.MinCost : Math.Min(MinCost, other.MinCost);
        MaxCost = Count == 0 ? other.MaxCost : Math.Max(MaxCost, other.MaxCost);
        Count += other.Count;
        Cost += other.Cost;
        Tokens += other.Tokens;
        Operations += other.Operations;
        for (var i = 0; i < Components.Length; i++)
        {
            Components[i] += other.Components[i];
        }

        for (var i = 0; i < LlmTokens.Length; i++)
        {
            LlmTokens[i] += other.LlmTokens[i];
        }

        Sketch.Merge(other.Sketch);
    }

    public SpendAggregate Copy()
    {
        var copy = new SpendAggregate();
        copy.Merge(this);
        return copy;
    }

    /// <summary>An aggregate as stored (every field given), for the stores that keep them.</summary>
    public static SpendAggregate Restore(long count, decimal cost, decimal tokens, decimal operations, decimal[] components,
        decimal[] llmTokens, decimal minCost, decimal maxCost, QuantileSketch sketch)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(components.Length, SpendComponents.Reported.Count, nameof(components));
        ArgumentOutOfRangeException.ThrowIfNotEqual(llmTokens.Length, 5, nameof(llmTokens));
        var aggregate = new SpendAggregate
        {
            Count = count, Cost = cost, Tokens = tokens, Operations = operations, MinCost = minCost, MaxCost = maxCost, Sketch = sketch,
        };
        components.CopyTo(aggregate.Components, 0);
        llmTokens.CopyTo(aggregate.LlmTokens, 0);
        return aggregate;
    }
}
