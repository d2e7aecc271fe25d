using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>Limits per metric; a null limit means the metric is reported but not limited.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Limits")]
public sealed record Limits(
    [property: Id(0)] decimal? Cost,
    [property: Id(1)] long? Tokens,
    [property: Id(2)] long? Operations)
{
    /// <summary>The limit of one metric by its name in the API: <c>cost</c>, <c>tokens</c> or <c>operations</c>.</summary>
    public decimal? Of(string metric) => metric switch
    {
        "cost" => Cost,
        "tokens" => Tokens,
        "operations" => Operations,
        _ => throw new ArgumentException($"Unknown metric '{metric}': cost, tokens or operations.", nameof(metric)),
    };
}
