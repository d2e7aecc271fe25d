namespace BudgetActors.Pricing;

/// <summary>The provider's processing tier a request ran in; tiers other than standard are priced per model.</summary>
public enum ServiceTier
{
    Standard,
    /// <summary>Asynchronous batch APIs (OpenAI, Anthropic, Google, Mistral: usually half price).</summary>
    Batch,
    /// <summary>OpenAI flex processing: slower, cheaper, for some models only.</summary>
    Flex,
    /// <summary>OpenAI priority processing: faster, dearer, for some models only.</summary>
    Priority,
}
