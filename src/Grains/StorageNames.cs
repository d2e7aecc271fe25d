namespace BudgetActors.Grains;

/// <summary>The grain storage provider every BudgetActors grain keeps its state in.</summary>
public static class StorageNames
{
    public const string Grains = "budget-actors";
}
