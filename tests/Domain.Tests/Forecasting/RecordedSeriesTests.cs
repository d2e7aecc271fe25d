using System.Globalization;
using BudgetActors.Domain.Forecasting;
using NodaTime;
using Xunit.Abstractions;
using static BudgetActors.Domain.Tests.Forecasting.ForecastScenario;

namespace BudgetActors.Domain.Tests.Forecasting;

/// <summary>The forecaster on <see cref="RecordedSeries"/>: what it chooses, and how it does on days it has not seen.</summary>
public class RecordedSeriesTests(ITestOutputHelper output)
{
    private const string Zone = "Europe/Paris";
    private static readonly DateTimeZone Tz = DateTimeZoneProviders.Tzdb[Zone];

    [Fact]
    public void The_recorded_series_is_forecast_by_the_method_its_backtest_ranks_first()
    {
        var daily = RecordedSeries.Days.ToDictionary(d => d.Date, d => d.Cost);
        var now = new LocalDateTime(2026, 12, 4, 15, 0).InZoneStrictly(Tz).ToDateTimeOffset();
        var december = daily.Where(d => d.Key.Month == 12).Sum(d => d.Value);
        var input = new ForecastInput("team-llm", "cost", daily, TodaySoFar: 38m,
            Start(new LocalDate(2026, 12, 1), Tz), Start(new LocalDate(2027, 1, 1), Tz), Zone,
            Limit: 1500m, Spent: december + 38m, Now: now);

        var forecast = Forecaster.Predict(input).AsForecast();
        var scores = Forecaster.Scores(RecordedSeries.Days.Select(d => d.Cost).ToArray(), horizon: forecast.Days.Length);
        ForecasterTests.PrintScores(output, scores);
        ForecasterTests.Print(output, forecast, RecordedSeries.Days.Select(d => d.Cost).ToArray());

        Assert.Equal(60, forecast.HistoryDays);
        Assert.Equal(3, scores.Length);
        var best = scores.Skip(1).Where(s => s.Mae < scores[0].Mae).OrderBy(s => s.Mae).FirstOrDefault() ?? scores[0];
        Assert.Equal(best.Method, forecast.Method);
        // The step of mid-November is three weeks old: the last two weeks are level.
        Assert.Equal(ForecastTrend.Flat, forecast.Trend);
        // About 1,580 by the end of December against 1,500: an overrun in the last days, in Paris time.
        Assert.InRange(forecast.Predicted.P50, 1500m, 1700m);
        Assert.NotNull(forecast.OverrunAt);
        Assert.Equal(TimeSpan.FromHours(1), forecast.OverrunAt!.Value.Offset);
        Assert.InRange(forecast.DaysUntilOverrun!.Value, 20, 27);
    }

    [Fact]
    public void Forecasts_of_the_next_week_made_on_each_day_after_the_step_are_close_and_mostly_within_the_band()
    {
        // From each day a week after the step (2026-11-19) to a week before the end, forecast the next
        // seven days' total with every method and with the one chosen, against what was spent.
        var all = RecordedSeries.Days;
        var methods = new Dictionary<string, List<(double Actual, double Predicted)>>();
        var inBand = 0;
        var cuts = Enumerable.Range(45, all.Count - 7 - 45 + 1).ToList();
        foreach (var cut in cuts)
        {
            var actual = all.Skip(cut).Take(7).Sum(d => d.Cost);
            var start = Start(all[cut].Date, Tz);
            var input = new ForecastInput("team-llm", "cost", all.Take(cut).ToDictionary(d => d.Date, d => d.Cost), 0m,
                start, Start(all[cut].Date.PlusDays(7), Tz), Zone, Limit: null, Spent: 0m, Now: start);
            var forecast = Forecaster.Predict(input).AsForecast();
            Add("chosen", (double)actual, (double)forecast.Predicted.P50);
            inBand += forecast.Predicted.P10 <= actual && actual <= forecast.Predicted.P90 ? 1 : 0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{all[cut].Date:uuuu-MM-dd}: actual {actual,8:0.00}  {forecast.Method,-20} p10 {forecast.Predicted.P10,8:0.00}  p50 {forecast.Predicted.P50,8:0.00}  p90 {forecast.Predicted.P90,8:0.00}"));

            var history = all.Take(cut).Select(d => (double)d.Cost).ToArray();
            var cleaned = Spikes.Clip(history);
            foreach (var model in new IDailyModel[] { SeasonalNaive.Instance, LinearWeekday.Instance, HoltWinters.Instance })
            {
                Add(model.Method, (double)actual, model.Forecast(cleaned, 7).Sum(f => Math.Max(0, f)));
            }
        }

        output.WriteLine("seven-day totals     MAPE %   sMAPE %");
        foreach (var (method, pairs) in methods)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{method,-20} {Mape(pairs),7:0.00} {Smape(pairs),8:0.00}"));
        }

        output.WriteLine($"actual within p10–p90: {inBand} of {cuts.Count}");
        // Spend a week ahead is within a tenth on average, and the 80 % band holds it most of the time.
        Assert.True(Mape(methods["chosen"]) < 10.0, $"MAPE {Mape(methods["chosen"]):0.00} %");
        Assert.True(inBand >= cuts.Count / 2, $"{inBand} of {cuts.Count} within the band");

        void Add(string method, double actual, double predicted)
        {
            if (!methods.TryGetValue(method, out var list))
            {
                methods[method] = list = [];
            }

            list.Add((actual, predicted));
        }
    }

    private static double Mape(List<(double Actual, double Predicted)> pairs) =>
        pairs.Average(p => 100 * Math.Abs(p.Predicted - p.Actual) / p.Actual);

    private static double Smape(List<(double Actual, double Predicted)> pairs) =>
        pairs.Average(p => 200 * Math.Abs(p.Predicted - p.Actual) / (p.Actual + p.Predicted));
}
