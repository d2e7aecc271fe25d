using BudgetActors.Domain;

namespace BudgetActors.Grains;

/// <summary>A budget grain's state as stored between activations (Orleans grain storage).</summary>
[GenerateSerializer, Alias("BudgetActors.Grains.BudgetSnapshot")]
public sealed class BudgetSnapshot
{
    /// <summary>The account as of its ledger watermark; null when the budget was never defined.</summary>
    [Id(0)] public BudgetSnapshotData? Account { get; set; }

    /// <summary>Deleted: it no longer applies, but its history (in <see cref="Account"/>) is kept.</summary>
    [Id(1)] public bool Retired { get; set; }

    /// <summary>The tenant directory version of the definition (or retirement) last applied.</summary>
    [Id(2)] public long DefinitionVersion { get; set; }
}
