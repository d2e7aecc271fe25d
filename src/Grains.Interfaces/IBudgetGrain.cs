using System.Collections.Immutable;
using Orleans.Concurrency;

namespace BudgetActors;

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
