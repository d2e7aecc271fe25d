namespace BudgetActors;

/// <summary>What one budget says of one request.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.BudgetVerdict")]
public sealed record BudgetVerdict(
    [property: Id(0)] Decision Decision,
    [property: Id(1)] decimal? ThrottleFactor,
    [property: Id(2)] string? DowngradeTo,
    [property: Id(3)] BudgetStatus Status,
    [property: Id(4)] BudgetReason? Reason = null);
