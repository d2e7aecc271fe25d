using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>"May I spend this?" — holds nothing.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.CheckRequest")]
public sealed record CheckRequest(
    [property: Id(0)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(1)] AmountSpec Estimate,
    [property: Id(2)] int Priority = 0);

[GenerateSerializer, Immutable, Alias("BudgetActors.CheckResult")]
public sealed record CheckResult(
    [property: Id(0)] Decision Decision,
    [property: Id(1)] decimal? ThrottleFactor,
    [property: Id(2)] string? DowngradeTo,
    [property: Id(3)] ImmutableArray<string> BlockedBy,
    [property: Id(4)] Amount Estimate,
    [property: Id(5)] ImmutableArray<BudgetStatus> Budgets);

/// <summary>Hold an expected amount on every applicable budget, or on none.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveRequest")]
public sealed record ReserveRequest(
    [property: Id(0)] string? IdempotencyKey,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] AmountSpec Estimate,
    [property: Id(3)] TimeSpan Ttl,
    [property: Id(4)] int Priority = 0);

[GenerateSerializer, Immutable, Alias("BudgetActors.ReserveResult")]
public sealed record ReserveResult(
    [property: Id(0)] bool Granted,
    [property: Id(1)] string? ReservationId,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] Decision Decision,
    [property: Id(4)] decimal? ThrottleFactor,
    [property: Id(5)] string? DowngradeTo,
    [property: Id(6)] ImmutableArray<string> BlockedBy,
    [property: Id(7)] Amount Estimate,
    [property: Id(8)] ImmutableArray<BudgetStatus> Budgets);

/// <summary>What was really spent against a reservation; it replaces the hold.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.CommitRequest")]
public sealed record CommitRequest([property: Id(0)] AmountSpec Actual);

[GenerateSerializer, Immutable, Alias("BudgetActors.CommitResult")]
public sealed record CommitResult(
    [property: Id(0)] Amount Charged,
    [property: Id(1)] Amount Released,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets);

[GenerateSerializer, Immutable, Alias("BudgetActors.ReleaseResult")]
public sealed record ReleaseResult(
    [property: Id(0)] Amount Released,
    [property: Id(1)] ImmutableArray<BudgetStatus> Budgets);

/// <summary>Spend that happened without a reservation. The idempotency key is required.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.UsageRequest")]
public sealed record UsageRequest(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] AmountSpec Actual,
    [property: Id(3)] DateTimeOffset? Timestamp = null);

[GenerateSerializer, Immutable, Alias("BudgetActors.UsageResult")]
public sealed record UsageResult(
    [property: Id(0)] bool Duplicate,
    [property: Id(1)] Amount Charged,
    [property: Id(2)] ImmutableArray<BudgetStatus> Budgets);
