namespace BudgetActors;

/// <summary>
/// What passes from one period into the next: unused budget (up to <see cref="UnusedCap"/> × limit)
/// is added to the next period's limits; overage (spend past the limit) is taken from them.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.CarryOverPolicy")]
public sealed record CarryOverPolicy(
    [property: Id(0)] bool Unused,
    [property: Id(1)] decimal UnusedCap,
    [property: Id(2)] bool Overage);
