namespace BudgetActors;

/// <summary>What closed a period kept in a budget's history.</summary>
[GenerateSerializer, Alias("BudgetActors.PeriodCloseKind")]
public enum PeriodCloseKind
{
    /// <summary>It ended on its boundary (records written before this field existed read as this).</summary>
    Rollover = 0,

    /// <summary>A tenant-admin reset the budget: the rest of the period started afresh.</summary>
    ManualReset = 1,

    /// <summary>The budget's period was redefined, or the budget deleted: it stopped there.</summary>
    Changed = 2,
}
