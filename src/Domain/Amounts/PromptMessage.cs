using System.Collections.Immutable;

namespace BudgetActors;

/// <summary>One message of a chat prompt, as far as counting its tokens goes.</summary>
[GenerateSerializer, Immutable, Alias("BudgetActors.PromptMessage")]
public sealed record PromptMessage(
    [property: Id(0)] string Role,
    [property: Id(1)] string Content,
    [property: Id(2)] string? Name = null);
