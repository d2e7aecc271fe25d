namespace BudgetActors.Domain;

/// <summary>What a budget account keeps between activations; with the ledger after <see cref="Watermark"/> it is the whole account.</summary>
/// <param name="Holds">Firm holds only: a tentative hold has no ledger entry yet (see <see cref="LedgerEntryKind.Fence"/>).</param>
/// <param name="ClosedBeforeHold">Reservations closed before their hold entry arrived, by the sequence of that entry.</param>
/// <param name="Epoch">The latest epoch (fence) of the budget applied so far.</param>
/// <param name="IncarnationStart">Entries up to here, and reservations held up to here, belong to a deleted budget of the same id.</param>
/// <param name="Marks">Emergency room taken and alerts raised in the snapshot's period.</param>
/// <param name="Buckets">A rolling budget's spend by bucket of its window (<see cref="PeriodCalendar.BucketOf"/>); null when none.</param>
/// <param name="CarryIn">What carry-over passed into the snapshot's period from the one before it (before limits were applied); null for nothing.</param>
/// <param name="NotHonoured">Reservations whose hold entry this budget did not honour, until they are voided or would have expired.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.BudgetSnapshotData")]
public sealed record BudgetSnapshotData(
    [property: Id(0)] BudgetDefinition Definition,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] Period Period,
    [property: Id(3)] Tally Spent,
    [property: Id(4)] Dictionary<string, Hold> Holds,
    [property: Id(5)] List<PeriodRecord> History,
    [property: Id(6)] long Watermark,
    [property: Id(7)] List<long> AppliedAbove,
    [property: Id(8)] Dictionary<string, long> ClosedBeforeHold,
    [property: Id(9)] long Epoch = 0,
    [property: Id(10)] long IncarnationStart = 0,
    [property: Id(11)] Dictionary<string, DateTimeOffset>? NotHonoured = null,
    [property: Id(12)] PeriodMarks? Marks = null,
    [property: Id(13)] Dictionary<long, Tally>? Buckets = null,
    [property: Id(14)] Amount? CarryIn = null);
