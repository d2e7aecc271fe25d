using System.Collections.Immutable;

namespace BudgetActors.Grains;

[GenerateSerializer, Alias("BudgetActors.Grains.ReservationStatus")]
public enum ReservationStatus
{
    /// <summary>Nothing was asked under this id yet.</summary>
    None,
    Refused,
    Held,
    Released,
    Committed,
}

[GenerateSerializer, Alias("BudgetActors.Grains.ReservationState")]
public sealed class ReservationState
{
    [Id(0)] public ReservationStatus Status { get; set; }
    [Id(1)] public string? Fingerprint { get; set; }
    [Id(2)] public ImmutableSortedDictionary<string, string> Attributes { get; set; } = ImmutableSortedDictionary<string, string>.Empty;
    [Id(3)] public Amount Estimate { get; set; } = Amount.Zero;
    [Id(4)] public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The budgets the reservation holds on.</summary>
    [Id(5)] public ImmutableArray<string> HeldOn { get; set; } = [];
    [Id(6)] public ReserveResult? Reserved { get; set; }
    [Id(7)] public CommitResult? Committed { get; set; }
    [Id(8)] public ReleaseResult? Released { get; set; }
}
