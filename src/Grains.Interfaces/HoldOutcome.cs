using System.Collections.Immutable;
using Orleans.Concurrency;

namespace BudgetActors;

[GenerateSerializer, Immutable, Alias("BudgetActors.HoldOutcome")]
public sealed record HoldOutcome(
    [property: Id(0)] bool Granted,
    [property: Id(1)] BudgetVerdict Verdict);
