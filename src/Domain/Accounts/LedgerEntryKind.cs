namespace BudgetActors;

/// <summary>The kinds of ledger entry. Every kind is applied so that any delivery order gives the same account.</summary>
[GenerateSerializer, Alias("BudgetActors.LedgerEntryKind")]
public enum LedgerEntryKind : short
{
    /// <summary>A reservation's hold on its budgets (key <c>hold:{reservation}</c>), with each budget's epoch.</summary>
    Hold = 1,

    /// <summary>A hold freed before it was committed.</summary>
    Release = 2,

    /// <summary>A reservation's actual spend: charged, and its hold freed.</summary>
    Commit = 3,

    /// <summary>Spend recorded without a reservation.</summary>
    Usage = 4,

    /// <summary>
    /// A reservation that was not granted, under the hold's own key (<c>hold:{reservation}</c>): written
    /// by the reservation when a budget refused it, or by a budget whose tentative hold lapsed before
    /// the hold was written. The key is taken either by the hold or by its refusal, never both.
    /// </summary>
    Refusal = 5,

    /// <summary>
    /// A written hold that one of its budgets did not honour (its epoch had ended): the reservation is
    /// refused after all and every budget drops the hold (key <c>void:{reservation}</c>).
    /// </summary>
    Void = 6,

    /// <summary>
    /// A budget activation's epoch (key <c>fence:{budget}:{activation}</c>): holds taken tentatively
    /// by an earlier activation and written after this entry are not honoured, since their tentative
    /// holds died with that activation and their room may have been given to others.
    /// </summary>
    Fence = 7,

    /// <summary>
    /// Emergency room taken on one budget (key <c>emergency:{budget}:{period start}:{n}</c>, the n-th
    /// use of the period): its limits rise by the entry's amount for the rest of the period in which
    /// it was recorded.
    /// </summary>
    Emergency = 8,

    /// <summary>
    /// A tenant-admin's manual reset of one budget (key <c>reset:{budget}:{id}</c>, the reason kept in
    /// the entry's fingerprint): the current period closes into history at the entry's recorded time
    /// and the rest of it starts afresh. Spend written before it belongs to the closed record, spend
    /// written after it to the new start (unless recorded before the cut), whatever order a budget
    /// applies them in.
    /// </summary>
    Reset = 9,
}
