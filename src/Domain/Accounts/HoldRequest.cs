namespace BudgetActors;

/// <summary>Ask one budget to hold an amount for a reservation.</summary>
/// <param name="Tentative">
/// True while the reservation still waits for wider budgets to agree: the hold counts against the
/// budget, but a request it would refuse waits for it to be confirmed or undone rather than fail
/// (no phantom refusals).
/// </param>
[GenerateSerializer, Immutable, Alias("BudgetActors.HoldRequest")]
public sealed record HoldRequest(
    [property: Id(0)] string ReservationId,
    [property: Id(1)] Amount Amount,
    [property: Id(2)] int Priority,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] bool Tentative);
