namespace BudgetActors.Domain.Reports;

/// <summary>Finds a cheaper model for the tokens a model was charged for (the pricing catalog, in the grains).</summary>
public interface IModelAlternatives
{
    /// <param name="charged">What the tokens cost on <paramref name="model"/>: the alternative's cost is in the same money.</param>
    /// <returns>Null when no cheaper model of the same provider is known.</returns>
    ModelAlternative? CheaperThan(string model, LlmTokenCounts tokens, decimal charged, DateOnly day);
}
