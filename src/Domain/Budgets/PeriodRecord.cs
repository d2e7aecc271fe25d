namespace BudgetActors;

/// <summary>A closed period of a budget, kept as history when the period rolls over, is reset, or changes.</summary>
/// <param name="Spent">All spend recorded in the period, including spend that arrived after it closed.</param>
/// <param name="Limits">The limits in force when it closed: carry-over, approved overrides and emergency room included.</param>
/// <param name="Closed">What closed it: its boundary, a manual reset, or a change of the budget.</param>
/// <param name="CarriedIn">What carry-over added to (positive) or took from (negative) its limits; null for nothing.</param>
/// <param name="CarriedOut">
/// What it passed on to the next period under the carry-over policy: unused budget (positive, capped)
/// or overage (negative). A manual reset passes on what it had been given, so the rest of the period
/// keeps it. Null for nothing.
/// </param>
/// <param name="Reason">A manual reset's reason.</param>
/// <param name="ResetSequence">
/// A manual reset's place in the ledger: spend written before it (lower sequence) belongs to this
/// record even if applied after the reset, so that live and replayed accounts agree.
/// </param>
/// <param name="ScheduledEnd">A manual reset's: where the period it cut would have ended (null: never, a total budget).</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.PeriodRecord")]
public sealed record PeriodRecord(
    [property: Id(0)] DateTimeOffset PeriodStart,
    [property: Id(1)] DateTimeOffset PeriodEnd,
    [property: Id(2)] Tally Spent,
    [property: Id(3)] Limits Limits,
    [property: Id(4)] BudgetState FinalState,
    [property: Id(5)] PeriodCloseKind Closed = PeriodCloseKind.Rollover,
    [property: Id(6)] Amount? CarriedIn = null,
    [property: Id(7)] Amount? CarriedOut = null,
    [property: Id(8)] string? Reason = null,
    [property: Id(9)] long ResetSequence = 0,
    [property: Id(10)] DateTimeOffset? ScheduledEnd = null)
{
    public bool Contains(DateTimeOffset instant) => instant >= PeriodStart && instant < PeriodEnd;

    public bool ManualReset => Closed == PeriodCloseKind.ManualReset;
}
