using System.Collections.Immutable;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.UsageCommand")]
public sealed record UsageCommand(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] Amount Actual);
