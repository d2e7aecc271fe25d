using BudgetActors.Grains.Domain;

namespace BudgetActors.Grains;

/// <summary>A budget grain's state as stored between activations.</summary>
[GenerateSerializer, Alias("BudgetActors.Grains.BudgetSnapshot")]
public sealed class BudgetSnapshot
{
    [Id(0)] public BudgetDefinition? Definition { get; set; }
    [Id(1)] public bool Retired { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public DateTimeOffset PeriodStart { get; set; }
    [Id(4)] public DateTimeOffset? PeriodEnd { get; set; }
    [Id(5)] public Amount Spent { get; set; } = Amount.Zero;
    [Id(6)] public Dictionary<string, Hold> Holds { get; set; } = [];
    [Id(7)] public List<PeriodRecord> History { get; set; } = [];
}
