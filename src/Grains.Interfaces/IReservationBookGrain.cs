namespace BudgetActors;

/// <summary>
/// The reservations of one tenant whose ids fall in one of its books (key <c>tenant/book-NN</c>, see
/// <c>ReservationBooks</c>): coordinates each reservation's hold across every applicable budget, all
/// or nothing, and remembers its outcomes so that retries answer the first result. Operations on one
/// reservation run one at a time; different reservations of a book run side by side.
/// </summary>
[Alias("BudgetActors.IReservationBookGrain")]
public interface IReservationBookGrain : IGrainWithStringKey
{
    /// <summary>Throws a Conflict problem when the same key was used with another body.</summary>
    [Alias("Reserve")]
    Task<ReserveResult> Reserve(string reservationId, ReserveCommand command);

    /// <summary>
    /// The actual amount is priced with the reservation's attributes (a job's queue and environment).
    /// Throws ReservationNotFound when nothing was granted under this id.
    /// </summary>
    [Alias("Commit")]
    Task<CommitResult> Commit(string reservationId, AmountSpec actual);

    /// <summary>Throws ReservationNotFound when nothing was granted under this id.</summary>
    [Alias("Release")]
    Task<ReleaseResult> Release(string reservationId);
}
