namespace BudgetActors;

/// <summary>
/// What a budget needs to know of one ledger entry that applies to it. Budgets apply each sequence
/// number once, whether it comes from the coordinator that wrote it or from reading the ledger.
/// </summary>
/// <param name="RecordedAt">When the entry was recorded: spend counts in the period that contains it.</param>
/// <param name="HoldSequence">For a commit, release or void: the sequence of the reservation's hold entry.</param>
/// <param name="Epoch">For a hold: the epoch of this budget's activation that took it tentatively.</param>
/// <param name="Note">For a manual reset: its reason.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.SpendEvent")]
public sealed record SpendEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] LedgerEntryKind Kind,
    [property: Id(2)] string? ReservationId,
    [property: Id(3)] Amount Amount,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] long? HoldSequence = null,
    [property: Id(7)] long Epoch = 0,
    [property: Id(8)] string? Note = null);
