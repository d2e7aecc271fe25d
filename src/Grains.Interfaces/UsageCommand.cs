using System.Collections.Immutable;
using BudgetActors.Domain.Reports;

namespace BudgetActors;

/// <param name="ChargedRate">The exchange rate the amount was priced at (catalog prices): kept with the ledger entry, for the answer and its retries.</param>
/// <param name="OccurredAt">When the spend happened (the request's <c>timestamp</c>); null: when it reaches the ledger.</param>
/// <param name="Detail">How the amount was priced (LLM usage, job), kept with the ledger entry.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.UsageCommand")]
public sealed record UsageCommand(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(2)] Amount Actual,
    [property: Id(3)] DateTimeOffset? OccurredAt = null,
    [property: Id(4)] ExchangeRate? ChargedRate = null,
    [property: Id(5)] SpendDetail? Detail = null);
