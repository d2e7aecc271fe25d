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

[GenerateSerializer, Alias("BudgetActors.LedgerEntryKind")]
public enum LedgerEntryKind : short
{
    /// <summary>A granted reservation's hold on its budgets.</summary>
    Hold = 1,

    /// <summary>A hold freed before it was committed.</summary>
    Release = 2,

    /// <summary>A reservation's actual spend: charged, and its hold freed.</summary>
    Commit = 3,

    /// <summary>Spend recorded without a reservation.</summary>
    Usage = 4,
}

/// <summary>
/// What a budget needs to know of one ledger entry that applies to it. Budgets apply each sequence
/// number once, whether it comes from the coordinator that wrote it or from reading the ledger.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendEvent")]
public sealed record SpendEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] string? ReservationId,
    [property: Id(3)] Amount Amount,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset RecordedAt);

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

    /// <summary>Takes a tentative hold: it counts at once, and lasts only until the reservation's ledger entry confirms it.</summary>
    [Alias("Hold")]
    Task<HoldOutcome?> Hold(HoldRequest request);

    /// <summary>Frees a tentative hold of a reservation that was refused or could not be recorded.</summary>
    [Alias("Undo")]
    Task Undo(string reservationId);

    /// <summary>
    /// Applies a durable ledger entry: a hold makes the tentative hold firm (or restores it), a release
    /// frees it, a commit replaces it with the actual spend, a usage charges. Applied once per sequence.
    /// </summary>
    [Alias("Apply")]
    Task<BudgetStatus?> Apply(SpendEvent spend);

    [Alias("GetStatus"), ReadOnly]
    Task<BudgetStatus?> GetStatus();

    /// <summary>Closed periods, newest first.</summary>
    [Alias("GetHistory"), ReadOnly]
    Task<ImmutableArray<PeriodRecord>> GetHistory();
}
