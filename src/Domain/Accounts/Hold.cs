namespace BudgetActors.Domain;

/// <summary>A reservation's firm hold on one budget: its hold entry is in the ledger and was honoured here.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Hold")]
public sealed record Hold(
    [property: Id(0)] Amount Amount,
    [property: Id(1)] DateTimeOffset ExpiresAt);
