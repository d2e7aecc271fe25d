using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// How a request states its amount. Grains only ever see a priced <see cref="Amount"/>: an
/// <c>IAmountPricer</c> in the admission layer turns a spec into one, so new kinds of amount
/// (LLM prompts, provider usage, job resources) plug in without touching the grains.
/// </summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.AmountSpec")]
public abstract record AmountSpec;
