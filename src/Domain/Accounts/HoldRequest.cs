namespace BudgetActors;

/// <summary>
/// Ask one budget to hold an amount for a reservation, tentatively: the hold counts against the
/// budget at once, but a request it would refuse waits for it to be confirmed or undone rather than
/// fail (no phantom refusals), and it lasts only until the reservation's ledger entry confirms it.
/// </summary>
/// <param name="ExpiresAt">When the reservation expires (its TTL), once confirmed.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.HoldRequest")]
public sealed record HoldRequest(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] Amount Amount,
    [property: Id(2)] int Priority,
    [property: Id(3)] DateTimeOffset ExpiresAt);
