using System.Collections.Immutable;
using BudgetActors.Domain.Jobs;

namespace BudgetActors.Domain.Tests;

public class JobCostTests
{
    private static readonly JobCostWeights Known = new(
        CpuSecond: 0.00003m, MemoryMbSecond: 0.000000004m, PayloadKb: 0.0000002m,
        StoreOperation: 0.0000005m, NetworkMb: 0.0001m, BasePerJob: 0.00001m);

    [Fact]
    public void A_job_is_priced_by_the_formula_exactly()
    {
        var model = new JobCostModel(Known, ImmutableSortedDictionary<string, JobCostWeights>.Empty, JobCostModel.EnvironmentPresets);
        var usage = new JobUsage(CpuSeconds: 15.2m, MemoryMbSeconds: 2048m, PayloadBytes: 51200, Ops: 25, NetworkBytes: 10 * 1024 * 1024);

        var cost = model.Price(usage, queue: null, environment: "production");

        // 15.2·0.00003 + 2048·0.000000004 + 50·0.0000002 + 25·0.0000005 + 10·0.0001 + 0.00001
        Assert.Equal(0.000456m, cost.Cpu);
        Assert.Equal(0.000008192m, cost.Memory);
        Assert.Equal(0.00001m, cost.Payload);
        Assert.Equal(0.0000125m, cost.StoreOperations);
        Assert.Equal(0.001m, cost.Network);
        Assert.Equal(0.001497m, cost.Total); // 0.0014966920 rounded half-even to micro-units
    }

    [Fact]
    public void Staging_costs_half_and_an_unknown_environment_costs_as_production()
    {
        var model = JobCostModel.Seed;
        var usage = new JobUsage(1000m, 0m, 0, 0, 0);

        Assert.Equal(0.024m, model.Price(usage, null, "production").Total);
        Assert.Equal(0.012m, model.Price(usage, null, "staging").Total);
        Assert.Equal(0.024m, model.Price(usage, null, "qa").Total);
    }

    [Fact]
    public void A_queue_with_its_own_weights_uses_them()
    {
        var model = JobCostModel.Seed with
        {
            Queues = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("gpu", Known with { CpuSecond = 0.001m })]),
        };
        var usage = new JobUsage(10m, 0m, 0, 0, 0);

        Assert.Equal(0.01001m, model.Price(usage, "gpu", null).Total);
        Assert.Equal(0.00024m, model.Price(usage, "default", null).Total);
    }

    [Fact]
    public void Calibration_recovers_known_weights_from_exact_bills()
    {
        var samples = Synthetic(Known, count: 24, noise: 0m, multiplier: 1m);

        var report = JobCostCalibration.Fit(samples, JobCostWeights.Seed, 1m);

        AssertClose(Known, report.Weights, relative: 0.000001m);
        Assert.Equal(0m, report.Mape);
        Assert.Equal(CalibrationAdvice.Apply, report.Advice);
        Assert.True(report.CurrentMape > 10m);
    }

    [Fact]
    public void Calibration_divides_out_the_environment_multiplier()
    {
        var samples = Synthetic(Known, count: 16, noise: 0m, multiplier: 0.5m);

        var report = JobCostCalibration.Fit(samples, JobCostWeights.Seed, 0.5m);

        AssertClose(Known, report.Weights, relative: 0.000001m);
    }

    [Fact]
    public void Calibration_with_noisy_bills_stays_close_and_never_goes_negative()
    {
        var withoutNetwork = Known with { NetworkMb = 0m };
        var samples = Synthetic(withoutNetwork, count: 40, noise: 0.03m, multiplier: 1m);

        var report = JobCostCalibration.Fit(samples, JobCostWeights.Seed, 1m);

        Assert.All(report.Weights.AsVector(), w => Assert.True(w >= 0m));
        Assert.InRange(report.Mape, 0m, 5m);
        Assert.Equal(CalibrationAdvice.Apply, report.Advice);
        Assert.InRange(report.Weights.CpuSecond, Known.CpuSecond * 0.9m, Known.CpuSecond * 1.1m);
    }

    [Fact]
    public void Bills_the_formula_cannot_explain_are_reported_as_such()
    {
        var random = new Random(7);
        var samples = Enumerable.Range(0, 12)
            .Select(_ => new CalibrationSample(new JobUsage(random.Next(1, 100), random.Next(1, 5000), random.Next(0, 100000), random.Next(0, 50), random.Next(0, 10_000_000)),
                Math.Round((decimal)random.Next(1, 1000) / 100m, 2)))
            .ToList();

        var report = JobCostCalibration.Fit(samples, JobCostWeights.Seed, 1m);

        Assert.Equal(CalibrationAdvice.Keep, report.Advice);
        Assert.True(report.Mape > 15m);
    }

    [Fact]
    public void Fewer_than_ten_pairs_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => JobCostCalibration.Fit(Synthetic(Known, 9, 0m, 1m), JobCostWeights.Seed, 1m));
        Assert.Contains("at least 10", error.Message);
    }

    [Fact]
    public void Non_negative_least_squares_clamps_a_weight_that_would_be_negative()
    {
        // b = 2·x1 − 1·x2 exactly: unconstrained least squares gives a negative weight for x2.
        decimal[][] a = [[1m, 1m], [2m, 1m], [3m, 4m], [4m, 2m]];
        decimal[] b = [1m, 3m, 2m, 6m];

        var x = NonNegativeLeastSquares.Solve(a, b);

        Assert.Equal(0m, x[1]);
        Assert.InRange(x[0], 1.2333333m, 1.2333334m); // then the best fit on the first column alone: Σ a·b / Σ a² = 37/30
    }

    // The top of every documented range: unit prices and measured quantities 10^12, counts 10^15, multiplier 100.
    private static readonly JobCostWeights Largest = new(RequestRules.MaxCost, RequestRules.MaxCost, RequestRules.MaxCost,
        RequestRules.MaxCost, RequestRules.MaxCost, RequestRules.MaxCost);

    private static readonly JobUsage LargestUsage = new(RequestRules.MaxCost, RequestRules.MaxCost, RequestRules.MaxCount, RequestRules.MaxCount, RequestRules.MaxCount);

    [Fact]
    public void The_largest_job_in_range_is_priced_without_overflowing_and_past_the_bound_of_one_request()
    {
        var model = new JobCostModel(Largest, ImmutableSortedDictionary<string, JobCostWeights>.Empty,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("x", TenantRules.MaxEnvironmentMultiplier)]));

        var cost = model.Price(LargestUsage, queue: null, environment: "x"); // about 10^29: past decimal itself

        Assert.Equal(1_000_000_000_000_000_000_000_000_000m, cost.StoreOperations); // 10^15 · 10^12, exact
        Assert.True(cost.Total > RequestRules.MaxCost);
        var errors = new RequestErrors();
        RequestRules.PricedAmount(new Amount(cost.Total, 0, 1), "jobUsage", errors);
        Assert.Equal(["jobUsage"], errors.ToImmutable().Keys);
    }

    [Fact]
    public void Calibration_at_the_top_of_every_range_fits_and_reports_the_current_error_without_overflowing()
    {
        var samples = Enumerable.Repeat(new CalibrationSample(LargestUsage, RequestRules.MaxCost), JobCostCalibration.MinimumSamples).ToList();

        var report = JobCostCalibration.Fit(samples, Largest, TenantRules.MaxEnvironmentMultiplier);

        Assert.Equal(0m, report.Mape);
        Assert.True(report.CurrentMape > 1_000_000m); // the current weights price these jobs at about 10^29
        Assert.Equal(CalibrationAdvice.Apply, report.Advice);
        Assert.All(report.Weights.AsVector(), w => Assert.InRange(w, 0m, RequestRules.MaxCost));
    }

    [Fact]
    public void Calibration_under_the_smallest_multiplier_reports_weights_out_of_range_instead_of_overflowing()
    {
        // Bills of 10^12 at ×10^-27 need unit prices near 10^39: no cost model can hold them.
        var samples = Enumerable.Range(1, JobCostCalibration.MinimumSamples)
            .Select(i => new CalibrationSample(new JobUsage(i, 0m, 0, 0, 0), RequestRules.MaxCost)).ToList();

        var report = JobCostCalibration.Fit(samples, JobCostWeights.Seed, 0.000000000000000000000000001m);

        Assert.Contains(report.Weights.AsVector(), w => w > RequestRules.MaxCost);
        var errors = new RequestErrors();
        TenantRules.FittedWeights(report.Weights, "samples", errors);
        Assert.Equal(["samples"], errors.ToImmutable().Keys);
    }

    private static List<CalibrationSample> Synthetic(JobCostWeights truth, int count, decimal noise, decimal multiplier)
    {
        var random = new Random(42);
        var model = new JobCostModel(truth, ImmutableSortedDictionary<string, JobCostWeights>.Empty, ImmutableSortedDictionary<string, decimal>.Empty);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var usage = new JobUsage(
                CpuSeconds: random.Next(1, 600) + random.Next(0, 100) / 100m,
                MemoryMbSeconds: random.Next(100, 500_000),
                PayloadBytes: random.Next(0, 5_000_000),
                Ops: random.Next(0, 2_000),
                NetworkBytes: random.Next(0, 200_000_000));
            var exact = ExactCost(model.WeightsFor(null), usage) * multiplier;
            var jitter = 1m + noise * (random.Next(-1000, 1001) / 1000m);
            return new CalibrationSample(usage, exact * jitter);
        }).ToList();
    }

    private static decimal ExactCost(JobCostWeights w, JobUsage usage)
    {
        var x = JobResources.From(usage).AsVector();
        var v = w.AsVector();
        return x.Select((value, j) => value * v[j]).Sum();
    }

    private static void AssertClose(JobCostWeights expected, JobCostWeights actual, decimal relative)
    {
        var e = expected.AsVector();
        var a = actual.AsVector();
        for (var j = 0; j < e.Length; j++)
        {
            Assert.InRange(a[j], e[j] - Math.Abs(e[j]) * relative - 0.000000000001m, e[j] + Math.Abs(e[j]) * relative + 0.000000000001m);
        }
    }
}
