using System.Collections.Immutable;

namespace BudgetActors.Domain;

/// <summary>A reservation's hold on one budget.</summary>
/// <param name="Tentative">Still waiting for wider budgets to agree (see <see cref="HoldRequest"/>).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Hold")]
public sealed record Hold(
    [property: Id(0)] Amount Amount,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] bool Tentative);
