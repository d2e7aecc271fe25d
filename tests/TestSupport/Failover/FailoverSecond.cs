namespace BudgetActors.TestSupport.Failover;

/// <summary>One second of the run, from the kill: requests answered in it, and errors among them.</summary>
/// <param name="Second">Whole seconds from the kill (−1 is the second before it).</param>
public sealed record FailoverSecond(int Second, int Answered, int Errors);
