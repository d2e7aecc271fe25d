using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

/// <summary>One benchmark pair: the resources a job was measured to use, and what it really cost.</summary>
public sealed record CalibrationSample(JobUsage Usage, decimal Bill);
