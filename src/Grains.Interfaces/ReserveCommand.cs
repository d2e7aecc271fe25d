using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="Fingerprint">A hash of the request as the caller sent it: a retry must match it.</param>
/// <param name="EstimateRate">The exchange rate the estimate was priced at (catalog prices), for the answer.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveCommand")]
public sealed record ReserveCommand(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] Amount Estimate,
    [property: Id(3)] int Priority,
    [property: Id(4)] TimeSpan Ttl,
    [property: Id(5)] ExchangeRate? EstimateRate = null);
