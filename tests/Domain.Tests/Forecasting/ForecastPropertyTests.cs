using BudgetActors.Domain.Forecasting;
using CsCheck;

namespace BudgetActors.Domain.Tests.Forecasting;

public class ForecastPropertyTests
{
    // A level, a weekly swing, growth, noise, a chance of zero days and of spikes; up to 70 days.
    private static readonly Gen<decimal[]> Series =
        Gen.Select(Gen.Int[0, 70], Gen.Double[0, 500], Gen.Double[0, 1], Gen.Double[-0.05, 0.05], Gen.Double[0, 0.5], Gen.Double[0, 0.4], Gen.Int[0, 10_000])
            .Select((n, level, swing, growth, noise, zeros, seed) =>
            {
                var random = new Random(seed);
                return Enumerable.Range(0, n).Select(t =>
                {
                    if (random.NextDouble() < zeros) return 0m;
                    var day = level * (1 + growth * t) * (t % 7 >= 5 ? 1 - swing : 1) * (1 + noise * (2 * random.NextDouble() - 1));
                    if (random.NextDouble() < 0.03) day *= 20;
                    return (decimal)Math.Round(Math.Max(0, day), 2);
                }).ToArray();
            });

    [Fact]
    public void The_band_is_always_ordered_and_never_below_what_is_spent()
    {
        Gen.Select(Series, Gen.Int[0, 23], Gen.Decimal[0m, 5000m], Gen.Bool)
            .Sample((days, hour, limit, limited) =>
            {
                var now = ForecastScenario.Now.Date.AddHours(hour);
                var input = ForecastScenario.Monthly(days, todaySoFar: days.Length == 0 ? 0m : days[^1] / 2, limit: limited ? Math.Round(limit, 2) : null, now: new DateTimeOffset(now, TimeSpan.Zero));
                switch (Forecaster.Predict(input))
                {
                    case Forecast f:
                        var p = f.Predicted;
                        Assert.True(p.P10 <= p.P50 && p.P50 <= p.P90, $"{p}");
                        Assert.True(p.P10 >= f.Spent, $"{p} below spent {f.Spent}");
                        var path = f.Spent + f.Days.Sum(d => d.Amount);
                        Assert.True(Math.Abs(p.P50 - path) <= 0.000001m * (f.Days.Count() + 1), $"p50 {p.P50} against the path's {path}"); // each figure is rounded to 6 places
                        Assert.All(f.Days, d => Assert.True(d.Amount >= 0m));
                        if (f.OverrunAt is { } at)
                        {
                            Assert.True(at >= input.Now && at < input.PeriodEnd, $"{at}");
                            Assert.True(p.P50 > input.Limit);
                        }
                        else if (input.Limit is { } l && f.Spent <= l)
                        {
                            Assert.True(p.P50 <= l, $"{p.P50} passes {l} without an overrun");
                        }

                        break;
                    case InsufficientHistory i:
                        Assert.True(i.HistoryDays < Forecaster.MinimumHistoryDays);
                        Assert.True(i.RunRate >= 0m);
                        break;
                }
            }, iter: 300);
    }
}
