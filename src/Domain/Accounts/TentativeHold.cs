namespace BudgetActors.Domain;

/// <summary>
/// A hold taken by this activation and not yet written: it counts against the budget until the
/// reservation's ledger entry confirms it, the reservation undoes it, or — past
/// <see cref="LeaseUntil"/> — the budget settles it through the ledger (a lapse, see <see cref="BudgetAccount.Lapsed"/>).
/// </summary>
public sealed record TentativeHold(Amount Amount, DateTimeOffset ExpiresAt, DateTimeOffset LeaseUntil);
