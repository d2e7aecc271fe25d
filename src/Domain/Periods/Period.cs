using NodaTime;

namespace BudgetActors.Domain;

/// <summary>A budget period: [Start, End). End is null for a <c>total</c> budget, which never rolls over.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.Grains.Period")]
public readonly record struct Period([property: Id(0)] DateTimeOffset Start, [property: Id(1)] DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && (End is null || instant < End);
}
