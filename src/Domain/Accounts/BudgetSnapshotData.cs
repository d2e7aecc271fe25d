namespace BudgetActors.Domain;

/// <summary>What a budget account keeps between activations; with the ledger after <see cref="Watermark"/> it is the whole account.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.BudgetSnapshotData")]
public sealed record BudgetSnapshotData(
    [property: Id(0)] BudgetDefinition Definition,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] Period Period,
    [property: Id(3)] Amount Spent,
    [property: Id(4)] Dictionary<string, Hold> Holds,
    [property: Id(5)] List<PeriodRecord> History,
    [property: Id(6)] long Watermark,
    [property: Id(7)] List<long> AppliedAbove,
    [property: Id(8)] Dictionary<string, DateTimeOffset> ClosedBeforeHold);
