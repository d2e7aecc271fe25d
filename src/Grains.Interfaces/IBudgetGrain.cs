using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// One budget (key <c>tenant/budgetId</c>): the single authority on its admission decisions. It
/// holds the current period's spend and reservations in memory. Every method answers null when the
/// budget is not (or no longer) defined.
/// <para>
/// The tenant's directory is the source of truth for definitions: callers pass the directory version
/// they routed with, and a budget that knows an older version brings its definition up to date from
/// the directory before it decides, so a change that the tenant stored applies even if pushing it
/// here failed.
/// </para>
/// </summary>
[Alias("BudgetActors.IBudgetGrain")]
public interface IBudgetGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the definition (as of directory <paramref name="version"/>); spend of the current period is kept.</summary>
    [Alias("Define")]
    Task<BudgetStatus?> Define(BudgetDefinition definition, long version);

    /// <summary>The budget stops applying (as of directory <paramref name="version"/>); its history is kept.</summary>
    [Alias("Retire")]
    Task Retire(long version);

    /// <summary>What the budget says of a request now, on firm spend and holds; holds nothing.</summary>
    [Alias("Check")]
    Task<BudgetVerdict?> Check(Amount amount, int priority, long directoryVersion);

    /// <summary>Takes a tentative hold: it counts at once, and lasts only until the reservation's ledger entry confirms it.</summary>
    [Alias("Hold")]
    Task<HoldOutcome?> Hold(HoldRequest request, long directoryVersion);

    /// <summary>Frees a tentative hold of a reservation that was refused or that gave up before writing.</summary>
    [Alias("Undo")]
    Task Undo(string reservationId);

    /// <summary>
    /// Applies a durable ledger entry, once per sequence: a hold makes the tentative hold firm (or
    /// restores it) if its epoch is current, a release or void frees it, a commit replaces it with the
    /// actual spend, a usage charges, a refusal drops a tentative hold.
    /// </summary>
    [Alias("Apply")]
    Task<ApplyResult?> Apply(SpendEvent spend);

    /// <summary>
    /// Takes the budget's emergency room now: its limits rise by the policy's amount for the rest of
    /// the period. Conflict when the budget has no emergency allocation or its uses this period are spent.
    /// </summary>
    [Alias("UseEmergency")]
    Task<EmergencyResult?> UseEmergency(string reason, long directoryVersion);

    /// <summary>
    /// A manual reset: closes the current period now into the history (marked as a manual reset, with
    /// <paramref name="reason"/>) and starts the rest of it afresh; holds stay, and a calendar period
    /// still ends on its boundary. Written to the ledger, so a replay after a restart cuts the same spend.
    /// An invalid reason is refused (<see cref="ProblemKind.InvalidRequest"/>) and changes nothing.
    /// </summary>
    [Alias("Reset")]
    Task<ResetResult?> Reset(string reason);

    [Alias("GetStatus")]
    Task<BudgetStatus?> GetStatus();

    /// <summary>What this period's forecast starts from (see <c>BudgetAccount.ForecastBasis</c>); null when the budget is not defined or its period never ends.</summary>
    [Alias("GetForecastBasis")]
    Task<Domain.Forecasting.ForecastBasis?> GetForecastBasis();

    /// <summary>Closed periods, newest first.</summary>
    [Alias("GetHistory")]
    Task<ImmutableArray<PeriodRecord>> GetHistory();
}
