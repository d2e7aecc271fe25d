using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests;

/// <summary>Budget definitions for tests, with the defaults of API.md.</summary>
internal static class Budgets
{
    public static BudgetDefinition Define(
        string id = "b",
        decimal? cost = null,
        long? tokens = null,
        long? operations = null,
        EnforcementMode mode = EnforcementMode.Hard,
        Thresholds? thresholds = null,
        PeriodType period = PeriodType.Monthly,
        string timeZone = "UTC",
        string? downgradeTo = null,
        params (string Name, string Value)[] scope) =>
        new(id,
            scope.ToImmutableSortedDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal),
            new PeriodSpec(period, timeZone),
            new Limits(cost, tokens, operations),
            thresholds ?? Thresholds.Default,
            mode,
            downgradeTo);

    public static Amount Cost(decimal cost) => new(cost, 0, 1);
}
