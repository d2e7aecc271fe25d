using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests;

/// <summary>Budgets alike in limits, thresholds and period share one copy of each, and every definition stays exactly what it was.</summary>
public class SharedDefinitionPartsTests
{
    [Fact]
    public void Definitions_alike_but_for_their_scope_share_their_limits_thresholds_and_period()
    {
        var a = Define("u1", new Limits(50m, 10_000_000, null), new Thresholds(0.5m, 0.8m, 1m), "Europe/Paris");
        var b = Define("u2", new Limits(50m, 10_000_000, null), new Thresholds(0.5m, 0.8m, 1m), new string("Europe/Paris".AsSpan()));

        var (sharedA, sharedB) = (SharedDefinitionParts.Share(a), SharedDefinitionParts.Share(b));

        Assert.Same(sharedA.Limits, sharedB.Limits);
        Assert.Same(sharedA.Thresholds, sharedB.Thresholds);
        Assert.Same(sharedA.Period, sharedB.Period);
        Assert.Same(sharedA.Period.TimeZone, sharedB.Period.TimeZone);
        Assert.Equal(a, sharedA);
        Assert.Equal(b, sharedB);
        Assert.True(sharedB.SameAs(b));
        Assert.Same(sharedB, SharedDefinitionParts.Share(sharedB)); // already shared: nothing new is made
    }

    [Fact]
    public void Amounts_are_shared_only_with_amounts_written_the_same_way()
    {
        var plain = SharedDefinitionParts.Share(Define("a", new Limits(20m, null, null), Thresholds.Default, "UTC"));
        var scaled = SharedDefinitionParts.Share(Define("b", new Limits(20.00m, null, null), new Thresholds(0.750m, 0.90m, 1.00m), "UTC"));

        Assert.NotSame(plain.Limits, scaled.Limits);
        Assert.Equal("20", plain.Limits.Cost!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("20.00", scaled.Limits.Cost!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.750", scaled.Thresholds.Warn.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotSame(Thresholds.Default, scaled.Thresholds);
    }

    private static BudgetDefinition Define(string user, Limits limits, Thresholds thresholds, string timeZone) =>
        new($"{user}-monthly", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("user", user)]),
            new PeriodSpec(PeriodType.Monthly, timeZone), limits, thresholds, EnforcementMode.Hard, null);
}
