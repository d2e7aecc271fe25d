using System.Collections.Immutable;
using Orleans.Concurrency;

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

[GenerateSerializer, Immutable, Alias("BudgetActors.HoldOutcome")]
public sealed record HoldOutcome(
    [property: Id(0)] bool Granted,
    [property: Id(1)] BudgetVerdict Verdict);

/// <summary>
/// One budget (key <c>tenant/budgetId</c>): the single authority on its admission decisions. It
/// holds the current period's spend and reservations in memory. Every method answers null when the
/// budget is not (or no longer) defined.
/// </summary>
[Alias("BudgetActors.IBudgetGrain")]
public interface IBudgetGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the definition; spend of the current period is kept.</summary>
    [Alias("Define")]
    Task<BudgetStatus> Define(BudgetDefinition definition);

    /// <summary>The budget stops applying; its history is kept.</summary>
    [Alias("Retire")]
    Task Retire();

    [Alias("Check"), ReadOnly]
    Task<BudgetVerdict?> Check(Amount amount, int priority);

    [Alias("Hold")]
    Task<HoldOutcome?> Hold(HoldRequest request);

    /// <summary>Turns a tentative hold into a firm one that lasts until <paramref name="expiresAt"/>.</summary>
    [Alias("Confirm")]
    Task Confirm(string reservationId, DateTimeOffset expiresAt);

    /// <summary>Frees a hold, if it is still there.</summary>
    [Alias("Release")]
    Task<BudgetStatus?> Release(string reservationId);

    /// <summary>Charges the actual amount of a reservation and frees its hold (if it has not expired).</summary>
    [Alias("Commit")]
    Task<BudgetStatus?> Commit(string reservationId, Amount actual);

    /// <summary>Charges spend that had no reservation.</summary>
    [Alias("Charge")]
    Task<BudgetStatus?> Charge(Amount actual);

    [Alias("GetStatus"), ReadOnly]
    Task<BudgetStatus?> GetStatus();

    /// <summary>Closed periods, newest first.</summary>
    [Alias("GetHistory"), ReadOnly]
    Task<ImmutableArray<PeriodRecord>> GetHistory();
}
