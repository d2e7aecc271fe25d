using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

/// <summary>
/// Fits job cost weights to real bills by non-negative least squares (a price is never negative),
/// in the bills' own units once the environment multiplier is divided out.
/// </summary>
public static class JobCostCalibration
{
    public const int MinimumSamples = 10;

    /// <summary>Fitted weights are kept to this many decimal places (well below a micro-unit per job).</summary>
    public const int WeightScale = 12;

    public static CalibrationReport Fit(IReadOnlyList<CalibrationSample> samples, JobCostWeights current, decimal environmentMultiplier)
    {
        if (samples.Count < MinimumSamples)
        {
            throw new ArgumentException($"Calibration needs at least {MinimumSamples} pairs of measured resources and actual bill; {samples.Count} given.");
        }

        if (environmentMultiplier <= 0m)
        {
            throw new ArgumentException("The environment multiplier must be positive.");
        }

        // Fitted to the bills as they are, then divided by the multiplier: dividing the bills first
        // would overflow under a tiny multiplier, and the quotient of a weight saturates instead.
        var a = samples.Select(s => JobResources.From(s.Usage).AsVector().ToArray()).ToArray();
        var b = samples.Select(s => s.Bill).ToArray();
        var fitted = NonNegativeLeastSquares.Solve(a, b)
            .Select(w => Math.Round(Per(w, environmentMultiplier), WeightScale, MidpointRounding.ToEven)).ToImmutableArray();
        var weights = JobCostWeights.FromVector(fitted);

        var mape = Mape(samples, weights, environmentMultiplier);
        var currentMape = Mape(samples, current, environmentMultiplier);
        var advice = mape <= 5m ? CalibrationAdvice.Apply
            : mape <= 15m && mape < currentMape ? CalibrationAdvice.ApplyAndCollectMore
            : CalibrationAdvice.Keep;
        return new CalibrationReport(weights, mape, currentMape, advice, samples.Count);
    }

    /// <summary>
    /// Mean absolute percentage error over the samples with a positive bill, in percent (2 places).
    /// A sample priced more than <see cref="MaxRelativeError"/> times off counts as that much off, so
    /// that a model absurdly far from the bills still gets a number (a huge one) rather than an overflow.
    /// </summary>
    public static decimal Mape(IReadOnlyList<CalibrationSample> samples, JobCostWeights weights, decimal environmentMultiplier)
    {
        var vector = weights.AsVector();
        var errors = samples.Where(s => s.Bill > 0m).Select(s =>
        {
            var predicted = JobCostCalculator.Predict(JobResources.From(s.Usage).AsVector(), vector, environmentMultiplier);
            var error = Math.Abs(predicted - s.Bill);
            return error > JobCostCalculator.Times(s.Bill, MaxRelativeError) ? MaxRelativeError : error / s.Bill;
        }).ToList();
        return errors.Count == 0 ? 0m : Math.Round(errors.Average() * 100m, 2, MidpointRounding.ToEven);
    }

    /// <summary>The most a sample's relative error counts for in <see cref="Mape"/>: a model a trillion times off.</summary>
    public const decimal MaxRelativeError = 1_000_000_000_000m;

    /// <summary>A weight fitted to bills, per unit of multiplier; past decimal it saturates (and no cost model can hold it).</summary>
    private static decimal Per(decimal weight, decimal multiplier) =>
        multiplier < 1m && weight > JobCostCalculator.Beyond * multiplier ? JobCostCalculator.Beyond : weight / multiplier;
}
