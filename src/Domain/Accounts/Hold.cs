namespace BudgetActors.Domain;

/// <summary>A reservation's firm hold on one budget: its hold entry is in the ledger and was honoured here.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Hold")]
public sealed record Hold(
    [property: Id(0)] Amount Amount,
    [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>
/// A hold taken by this activation and not yet written: it counts against the budget until the
/// reservation's ledger entry confirms it, the reservation undoes it, or — past
/// <see cref="LeaseUntil"/> — the budget settles it through the ledger (a lapse, see <see cref="BudgetAccount.Lapsed"/>).
/// </summary>
public sealed record TentativeHold(Amount Amount, DateTimeOffset ExpiresAt, DateTimeOffset LeaseUntil);
