using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

/// <param name="Mape">Mean absolute percentage error of the fitted weights over the samples, in percent.</param>
/// <param name="CurrentMape">The same for the weights in use now, for comparison.</param>
public sealed record CalibrationReport(JobCostWeights Weights, decimal Mape, decimal CurrentMape, CalibrationAdvice Advice, int Samples);
