namespace BudgetActors;

/// <summary>
/// An approved override in force: the budget's limits are higher by <see cref="Raise"/> (per metric,
/// only on metrics the budget limits) until <see cref="ExpiresAt"/>, then back by themselves.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.LimitRaise")]
public sealed record LimitRaise(
    [property: Id(0)] string OverrideId,
    [property: Id(1)] Amount Raise,
    [property: Id(2)] DateTimeOffset ExpiresAt);
