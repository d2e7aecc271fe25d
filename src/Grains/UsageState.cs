namespace BudgetActors.Grains;

[GenerateSerializer, Alias("BudgetActors.Grains.UsageState")]
public sealed class UsageState
{
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public UsageResult? Result { get; set; }
}
