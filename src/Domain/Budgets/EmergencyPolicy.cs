namespace BudgetActors;

/// <summary>
/// Room a caller may take at once in an emergency (<c>POST …/emergency</c>): the limits rise by
/// <see cref="Amount"/> for the rest of the period, at most <see cref="PerPeriod"/> times a period.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.EmergencyPolicy")]
public sealed record EmergencyPolicy(
    [property: Id(0)] Amount Amount,
    [property: Id(1)] int PerPeriod);
