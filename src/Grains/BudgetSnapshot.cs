using BudgetActors.Domain;

namespace BudgetActors.Grains;

/// <summary>
/// A budget grain's state as stored between activations (Orleans grain storage, record "budget"). A
/// live budget makes one for each write and does not keep it (its account is its state); a retired
/// budget keeps its own, for its history.
/// </summary>
[GenerateSerializer, Alias("BudgetActors.Grains.BudgetSnapshot")]
public sealed class BudgetSnapshot
{
    /// <summary>The account as of its ledger watermark; null when the budget was never defined.</summary>
    [Id(0)] public BudgetSnapshotData? Account { get; set; }

    /// <summary>Deleted: it no longer applies, but its history (in <see cref="Account"/>) is kept.</summary>
    [Id(1)] public bool Retired { get; set; }

    /// <summary>The tenant directory version of the definition (or retirement) last applied.</summary>
    [Id(2)] public long DefinitionVersion { get; set; }

    /// <summary>
    /// The period end the rollover reminder was last registered for: an activation that finds the
    /// current period's end here does not register it again. Null when none is known to be (records of
    /// earlier versions, a retired budget): the next activation registers it.
    /// </summary>
    [Id(3)] public DateTimeOffset? RolloverDue { get; set; }
}
