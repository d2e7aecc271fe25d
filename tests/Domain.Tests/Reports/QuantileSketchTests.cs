using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

public sealed class QuantileSketchTests
{
    public static TheoryData<string, int> Distributions => new()
    {
        { "lognormal", 1 }, { "lognormal", 2 }, { "uniform", 3 }, { "bimodal", 4 }, { "with-zeros", 5 },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Every_percentile_is_within_one_percent_of_the_true_value_of_its_rank(string shape, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 20_000).Select(_ => Draw(shape, random)).ToList();
        var sketch = new QuantileSketch();
        values.ForEach(v => sketch.Add(v));

        var sorted = values.Order().ToList();
        foreach (var q in new[] { 0.0, 0.1, 0.5, 0.9, 0.95, 0.99, 1.0 })
        {
            var truth = sorted[(int)Math.Floor(q * (sorted.Count - 1))];
            var estimate = sketch.Quantile(q)!.Value;
            Assert.True(Math.Abs(estimate - truth) <= truth * (decimal)QuantileSketch.RelativeAccuracy + 0.0000001m,
                $"{shape} q={q}: estimate {estimate}, true {truth}");
        }
    }

    [Fact]
    public void Merged_sketches_answer_as_one_sketch_of_all_the_values()
    {
        var random = new Random(7);
        var days = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 300).Select(_ => Draw("lognormal", random)).ToList()).ToList();
        var whole = new QuantileSketch();
        var merged = new QuantileSketch();
        foreach (var day in days)
        {
            var sketch = new QuantileSketch();
            day.ForEach(v => { sketch.Add(v); whole.Add(v); });
            merged.Merge(sketch);
        }

        Assert.Equal(whole.ToText(), merged.ToText());
        Assert.Equal(whole.Quantile(0.95), merged.Quantile(0.95));
        Assert.Equal(9000, merged.Count);
    }

    [Fact]
    public void The_stored_text_reads_back_to_the_same_sketch()
    {
        var sketch = new QuantileSketch();
        foreach (var v in new[] { 0m, 0m, 0.000001m, 0.5m, 1.25m, 1.26m, 999_999_999_999.99m })
        {
            sketch.Add(v);
        }

        var copy = QuantileSketch.Parse(sketch.ToText());

        Assert.Equal(sketch.ToText(), copy.ToText());
        Assert.Equal(7, copy.Count);
        Assert.Equal(2, copy.Zeros);
        Assert.Equal(sketch.Quantile(0.5), copy.Quantile(0.5));
        Assert.Equal(0m, copy.Quantile(0));
        Assert.Null(new QuantileSketch().Quantile(0.95));
    }

    [Fact]
    public void A_thousand_values_over_eighteen_orders_of_magnitude_stay_in_a_bounded_number_of_buckets()
    {
        var sketch = new QuantileSketch();
        for (var v = 0.000001m; v < 1_000_000_000_000m; v *= 1.01m)
        {
            sketch.Add(v);
        }

        // log(10^18) / log(1.0202) ≈ 2,072 buckets at most between one micro-unit and 10^12.
        Assert.InRange(sketch.BucketCount, 2_000, 2_100);
    }

    private static decimal Draw(string shape, Random random) => shape switch
    {
        "lognormal" => Amount.RoundCost((decimal)Math.Exp(-3 + 1.5 * Normal(random))) + 0.000001m,
        "uniform" => Amount.RoundCost((decimal)random.NextDouble() * 20m) + 0.000001m,
        "bimodal" => random.Next(10) < 8 ? Amount.RoundCost(0.002m + (decimal)random.NextDouble() * 0.001m) : Amount.RoundCost(4m + (decimal)random.NextDouble()),
        _ => random.Next(4) == 0 ? 0m : Amount.RoundCost((decimal)random.NextDouble() * 3m) + 0.000001m,
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
