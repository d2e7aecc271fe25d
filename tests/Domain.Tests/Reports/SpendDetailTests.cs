using BudgetActors.Domain.Jobs;
using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

public sealed class SpendDetailTests
{
    [Fact]
    public void Llm_parts_add_up_to_the_charge_rounded_once()
    {
        // 333 input tokens at 2.5/M = 0.0008325, 77 output at 10/M = 0.00077 → 0.0016025 → 0.001602 (half to even).
        var detail = SpendDetails.ForLlm("gpt-4o", new LlmTokenCounts(333, 0, 0, 77, 0),
            [KeyValuePair.Create(SpendComponents.Input, 0.0008325m), KeyValuePair.Create(SpendComponents.Output, 0.00077m)], 0.001602m);

        Assert.Equal(0.000832m, detail.Components[SpendComponents.Input]);
        Assert.Equal(0.00077m, detail.Components[SpendComponents.Output]);
        Assert.Equal(0.001602m, detail.Components.Values.Sum());
    }

    [Fact]
    public void The_micro_units_lost_by_rounding_down_go_to_the_parts_that_lost_most()
    {
        var parts = CostAllocation.Allocate([0.0000004m, 0.0000007m, 0.0000009m, 0.000002m], 0.000004m);

        Assert.Equal([0m, 0.000001m, 0.000001m, 0.000002m], parts);
    }

    [Fact]
    public void Random_llm_charges_split_exactly()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            decimal[] exact = [.. Enumerable.Range(0, 5).Select(_ => random.Next(0, 5_000_000) * (random.Next(1, 2_000) / 100m) / 1_000_000m)];
            var total = Amount.RoundCost(exact.Sum());
            var detail = SpendDetails.ForLlm("m", new LlmTokenCounts(1, 1, 1, 1, 1),
                [.. new[] { "input", "cachedInput", "cacheWrite", "output", "reasoning" }.Select((n, j) => KeyValuePair.Create(n, exact[j]))], total);

            Assert.Equal(total, detail.Components.Values.Sum());
            Assert.All(detail.Components.Values, v => Assert.True(v >= 0m && v == Amount.RoundCost(v)));
        }
    }

    [Fact]
    public void A_jobs_parts_carry_the_environment_multiplier_and_make_its_total()
    {
        var model = JobCostModel.Seed with { Default = JobCostModel.Seed.Default with { BasePerJob = 0.0001m } };
        var usage = new JobUsage(15.2m, 2048m, 51_200, 25, 10_240);
        var price = model.Price(usage, "ml", "staging"); // staging: × 0.5

        var detail = SpendDetails.ForJob(usage, price);

        Assert.Equal(0.5m, detail.Multiplier);
        Assert.Equal(usage, detail.Job);
        Assert.Equal(price.Total, detail.Components.Values.Sum());
        Assert.InRange(detail.Components[SpendComponents.Cpu], price.Cpu * 0.5m - 0.000001m, price.Cpu * 0.5m + 0.000001m);
        Assert.Equal(0.00005m, detail.Components[SpendComponents.Base]);
    }
}
