using System.Collections.Immutable;

namespace BudgetActors;

/// <param name="Fingerprint">A hash of the request as the caller sent it: a retry must match it.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveCommand")]
public sealed record ReserveCommand(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] Amount Estimate,
    [property: Id(3)] int Priority,
    [property: Id(4)] TimeSpan Ttl);

/// <summary>
/// One reservation (key <c>tenant/reservationId</c>): coordinates its hold across every applicable
/// budget, all or nothing, and remembers its outcomes so that retries answer the first result.
/// </summary>
[Alias("BudgetActors.IReservationGrain")]
public interface IReservationGrain : IGrainWithStringKey
{
    /// <summary>Throws a Conflict problem when the same key was used with another body.</summary>
    [Alias("Reserve")]
    Task<ReserveResult> Reserve(ReserveCommand command);

    /// <summary>Throws ReservationNotFound when nothing was granted under this id.</summary>
    /// <summary>The actual amount is priced with the reservation's attributes (a job's queue and environment).</summary>
    [Alias("Commit")]
    Task<CommitResult> Commit(AmountSpec actual);

    [Alias("Release")]
    Task<ReleaseResult> Release();
}

[GenerateSerializer, Immutable, Alias("BudgetActors.UsageCommand")]
public sealed record UsageCommand(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] Amount Actual);

/// <summary>One recorded usage (key <c>tenant/idempotency-hash</c>): charged once, whatever the retries.</summary>
[Alias("BudgetActors.IUsageGrain")]
public interface IUsageGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task<UsageResult> Record(UsageCommand command);
}
