namespace BudgetActors.Domain.Reports;

/// <summary>A cheaper model, and what the same tokens would have cost on it (in the money of the charges it is compared with).</summary>
public sealed record ModelAlternative(string Model, decimal Cost);
