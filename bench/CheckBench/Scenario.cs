namespace BudgetActors.CheckBench;

/// <summary>One row of the benchmark: a call to measure, and a check that it does what the row claims.</summary>
/// <param name="Verify">Run once before measuring; throws when the call does not answer as expected.</param>
public sealed record Scenario(string Name, string Description, Func<Task> Call, Func<Task> Verify);
