using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// One reservation (key <c>tenant/reservationId</c>): coordinates its hold across every applicable
/// budget, all or nothing, and remembers its outcomes so that retries answer the first result.
/// </summary>
[Alias("BudgetActors.IReservationGrain")]
public interface IReservationGrain : IGrainWithStringKey
{
    /// <summary>Throws a Conflict problem when the same key was used with another body.</summary>
    [Alias("Reserve")]
    Task<ReserveResult> Reserve(ReserveCommand command);

    /// <summary>Throws ReservationNotFound when nothing was granted under this id.</summary>
    /// <summary>The actual amount is priced with the reservation's attributes (a job's queue and environment).</summary>
    [Alias("Commit")]
    Task<CommitResult> Commit(AmountSpec actual);

    [Alias("Release")]
    Task<ReleaseResult> Release();
}
