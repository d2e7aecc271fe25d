using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>An amount given directly: the <c>estimate</c> or <c>actual</c> of the HTTP API.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ExplicitAmount")]
public sealed record ExplicitAmount([property: Id(0)] Amount Amount) : AmountSpec;
