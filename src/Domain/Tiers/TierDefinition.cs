using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>
/// A tier: the budgets every subject on it gets (for instance every <c>user</c> on <c>free</c>). Each
/// template is a budget definition whose <see cref="BudgetDefinition.Id"/> is the budget's name in the
/// tier (<c>daily</c>) and whose scope is empty: a subject's copy gets its own id and the scope
/// <c>{ Subject: value }</c> (see <see cref="BudgetActors.Domain.TierBudgets"/>).
/// </summary>
/// <param name="Subject">The attribute whose values are this tier's subjects (<c>user</c>, <c>project</c>, …).</param>
/// <param name="Budgets">The templates, ordered by name.</param>
[GenerateSerializer, Immutable, Alias("BudgetActors.TierDefinition")]
public sealed record TierDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Subject,
    [property: Id(2)] ImmutableArray<BudgetDefinition> Budgets,
    [property: Id(3)] DateTimeOffset UpdatedAt);
