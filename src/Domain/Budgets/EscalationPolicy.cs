using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>An alert not acknowledged <see cref="AfterMinutes"/> after it was raised goes to these channels too, once.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.EscalationPolicy")]
public sealed record EscalationPolicy(
    [property: Id(0)] int AfterMinutes,
    [property: Id(1)] ImmutableArray<string> Channels)
{
    public bool Equals(EscalationPolicy? other) =>
        other is not null && AfterMinutes == other.AfterMinutes && Channels.SequenceEqual(other.Channels);

    public override int GetHashCode() => HashCode.Combine(AfterMinutes, Channels.Length);
}
