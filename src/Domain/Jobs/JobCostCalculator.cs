using System.Collections.Immutable;

namespace BudgetActors.Domain.Jobs;

/// <summary>
/// Prices jobs by a tenant's <see cref="JobCostModel"/>, without ever overflowing: the inputs in
/// their documented ranges (quantities up to 10^15, unit prices up to 10^12, multipliers up to 100)
/// can price a job at about 10^29, past decimal's 7.9 × 10^28. A price that decimal cannot hold is
/// stated as <see cref="Beyond"/>, far past the 10^12 one request may cost, so that the request's
/// bound (<see cref="RequestRules.PricedAmount"/>) refuses it rather than the arithmetic throwing.
/// </summary>
public static class JobCostCalculator
{
    /// <summary>The price of a job too costly for decimal: larger than every bound.</summary>
    public const decimal Beyond = decimal.MaxValue;

    public static JobCostBreakdown Price(this JobCostModel model, JobUsage usage, string? queue, string? environment) =>
        Price(model.WeightsFor(queue), model.MultiplierFor(environment), usage);

    public static JobCostBreakdown Price(JobCostWeights w, decimal multiplier, JobUsage usage)
    {
        var resources = JobResources.From(usage);
        var parts = new JobCostBreakdown(
            Cpu: Times(resources.CpuSeconds, w.CpuSecond),
            Memory: Times(resources.MemoryMbSeconds, w.MemoryMbSecond),
            Payload: Times(resources.PayloadKb, w.PayloadKb),
            StoreOperations: Times(resources.StoreOperations, w.StoreOperation),
            Network: Times(resources.NetworkMb, w.NetworkMb),
            Base: w.BasePerJob,
            Multiplier: multiplier,
            Total: 0m);
        var total = Times(Sum([parts.Cpu, parts.Memory, parts.Payload, parts.StoreOperations, parts.Network, parts.Base]), multiplier);
        return parts with { Total = total == Beyond ? Beyond : Amount.RoundCost(total) };
    }

    /// <summary>
    /// The formula unrounded, for comparing a model with bills: Σ resource·weight × multiplier over
    /// the formula's vectors (<see cref="JobResources.AsVector"/>, <see cref="JobCostWeights.AsVector"/>).
    /// </summary>
    public static decimal Predict(ImmutableArray<decimal> resources, ImmutableArray<decimal> weights, decimal multiplier) =>
        Times(Sum([.. resources.Select((x, j) => Times(x, weights[j]))]), multiplier);

    /// <summary>a · b for non-negative a and b, or <see cref="Beyond"/> when the product is past decimal.</summary>
    public static decimal Times(decimal a, decimal b)
    {
        if (a == 0m || b == 0m)
        {
            return 0m;
        }

        return a >= Beyond || b >= Beyond || (a > 1m && b > 1m && a > Beyond / b) ? Beyond : a * b;
    }

    /// <summary>The sum of non-negative terms, or <see cref="Beyond"/> once it passes decimal.</summary>
    public static decimal Sum(ReadOnlySpan<decimal> terms)
    {
        var sum = 0m;
        foreach (var term in terms)
        {
            if (term >= Beyond - sum)
            {
                return Beyond;
            }

            sum += term;
        }

        return sum;
    }
}
