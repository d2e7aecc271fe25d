using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>What was really spent against a reservation; it replaces the hold.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.CommitRequest")]
public sealed record CommitRequest([property: Id(0)] AmountSpec Actual);
