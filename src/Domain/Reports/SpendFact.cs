using System.Collections.Immutable;

namespace BudgetActors.Domain.Reports;

/// <summary>A charge as the aggregates see it: a usage or commit entry of the ledger.</summary>
/// <param name="At">When it counts: the usage's timestamp (late usage is back-dated), or when it was recorded.</param>
public sealed record SpendFact(
    string TenantId,
    long Sequence,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Attributes,
    ImmutableArray<string> BudgetIds,
    Amount Amount,
    SpendDetail? Detail);
