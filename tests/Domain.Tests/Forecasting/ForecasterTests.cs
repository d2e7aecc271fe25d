using System.Globalization;
using BudgetActors.Domain.Forecasting;
using NodaTime;
using Xunit.Abstractions;
using static BudgetActors.Domain.Tests.Forecasting.ForecastScenario;

namespace BudgetActors.Domain.Tests.Forecasting;

public class ForecasterTests(ITestOutputHelper output)
{
    [Fact]
    public void Under_three_days_of_history_there_is_only_the_run_rate_so_far()
    {
        // Two complete days (10 and 20) and half of today (6): 36 over 2.5 days.
        var input = Monthly([10m, 20m], todaySoFar: 6m, limit: 100m);

        var outcome = Assert.IsType<InsufficientHistory>(Forecaster.Predict(input));

        Assert.Equal(2, outcome.HistoryDays);
        Assert.Equal(14.4m, outcome.RunRate);
    }

    [Fact]
    public void A_budget_created_today_has_no_history_and_runs_at_today_s_pace()
    {
        var input = Monthly([], todaySoFar: 3m, limit: 100m) with { FirstDay = null };

        var outcome = Assert.IsType<InsufficientHistory>(Forecaster.Predict(input));

        Assert.Equal(0, outcome.HistoryDays);
        Assert.Equal(6m, outcome.RunRate); // 3 in half a day
    }

    [Fact]
    public void Days_without_spend_count_as_history_from_the_first_day()
    {
        // Created five days ago; spent only the day before yesterday.
        var input = Monthly([0m, 0m, 0m, 12m, 0m], todaySoFar: 0m, limit: 100m);
        var sparse = input with { Daily = new Dictionary<LocalDate, decimal> { [new LocalDate(2026, 12, 11)] = 12m } };

        var forecast = Forecaster.Predict(sparse).AsForecast();

        Assert.Equal(5, forecast.HistoryDays);
        Assert.Equal(ForecastMethods.RunRate, forecast.Method);
        // 12 over five days is 2.4 a day, over the 18.5 days left: 44.4 more.
        Assert.Equal(12m + 44.4m, forecast.Predicted.P50);
    }

    [Fact]
    public void Under_a_week_of_history_the_forecast_is_the_run_rate()
    {
        var input = Monthly([8m, 12m, 10m, 9m, 11m, 10m], todaySoFar: 5m, limit: 1000m);

        var forecast = Forecaster.Predict(input).AsForecast();

        Assert.Equal(ForecastMethods.RunRate, forecast.Method);
        Assert.Equal(6, forecast.HistoryDays);
        // Mean day 10; half of today and 18 more days of December are left: 185 on top of what is spent.
        Assert.Equal(input.Spent + 185m, forecast.Predicted.P50);
        Assert.True(forecast.Predicted.P10 < forecast.Predicted.P50 && forecast.Predicted.P50 < forecast.Predicted.P90);
    }

    [Fact]
    public void A_flat_series_forecasts_flat_with_a_narrow_band()
    {
        var days = Enumerable.Range(0, 42).Select(t => 10m + (decimal)Math.Round(0.2 * Wiggle(t), 2)).ToArray();
        var input = Monthly(days, todaySoFar: 5m, limit: 1000m);

        var forecast = Forecaster.Predict(input).AsForecast();
        Print(output, forecast, days);

        Assert.Equal(ForecastTrend.Flat, forecast.Trend);
        var expected = input.Spent + 18.5m * 10m;
        Assert.InRange(forecast.Predicted.P50, expected - 2m, expected + 2m);
        Assert.All(forecast.Days.Skip(1), d => Assert.InRange(d.Amount, 9.7m, 10.3m));
        // ±0.2 a day of noise: the band is within a few percent of the remaining spend.
        Assert.True(forecast.Predicted.P90 - forecast.Predicted.P10 < 0.05m * 185m, $"band {forecast.Predicted}");
        Assert.True(forecast.Predicted.P90 > forecast.Predicted.P50);
    }

    [Fact]
    public void A_constant_rate_passes_the_limit_when_and_where_it_should()
    {
        // 10 a day, exactly: every method agrees, and seasonal-naive stays.
        var days = Enumerable.Repeat(10m, 30).ToArray();
        var input = Monthly(days, todaySoFar: 5m, limit: 200m);
        Assert.Equal(125m, input.Spent); // twelve days of December and half of today

        var forecast = Forecaster.Predict(input).AsForecast();

        Assert.Equal(ForecastMethods.SeasonalNaive, forecast.Method);
        // 125 now, 130 at midnight, then 10 a day: 200 is reached at the end of the 20th, which is not
        // passing it yet, and passed as the 21st starts; p50 at the end is 125 + 5 + 18 · 10 = 310.
        Assert.Equal(310m, forecast.Predicted.P50);
        Assert.Equal(310m, forecast.Predicted.P10);
        Assert.Equal(310m, forecast.Predicted.P90);
        Assert.Equal(DateTimeOffset.Parse("2026-12-21T00:00:00Z"), forecast.OverrunAt);
        Assert.Equal(8, forecast.DaysUntilOverrun);
        Assert.Equal(1.55m, forecast.UtilizationAtEnd);
        Assert.Equal(ForecastTrend.Flat, forecast.Trend);
    }

    [Fact]
    public void Linear_growth_is_forecast_exactly_and_its_overrun_is_interpolated_within_the_day()
    {
        // 5 + 0.5·t from 2026-11-01 (t = 0) to yesterday, 2026-12-12 (t = 41).
        var days = Enumerable.Range(0, 42).Select(t => 5m + 0.5m * t).ToArray();
        var input = Monthly(days, todaySoFar: 13m, limit: 366.25m);
        // December so far: Σ(5 + 0.5·t) for t = 30..41 is 273, and half of today's 26.
        Assert.Equal(286m, input.Spent);

        var forecast = Forecaster.Predict(input).AsForecast();
        Print(output, forecast, days);

        Assert.Equal(ForecastMethods.LinearWeekday, forecast.Method);
        Assert.Equal(ForecastTrend.Rising, forecast.Trend);
        // The rest of today: 13 → 299 at midnight; then 26.5 (14th) → 325.5, 27 (15th) → 352.5, 27.5 on the
        // 16th: 13.75 of it reaches 366.25, half the day: 12:00 on the 16th, three days from today.
        Assert.Equal(DateTimeOffset.Parse("2026-12-16T12:00:00Z"), forecast.OverrunAt);
        Assert.Equal(3, forecast.DaysUntilOverrun);
        // To the end: 286 + 13 + Σ(5 + 0.5·t) for t = 43..60 (the 14th to the 31st) = 286 + 13 + 553.5.
        Assert.Equal(852.5m, forecast.Predicted.P50);
        Assert.Equal(852.5m / 366.25m, forecast.UtilizationAtEnd!.Value, 6);
        // 566.5 more over 18.5 days is 30.62 a day; 80.25 left over 18.5 days is 4.3378…, rounded down.
        Assert.Equal(
            "At this rate alice-monthly passes its limit of 366.25 on 2026-12-16 (in 3 days); 4.33 a day instead of 30.62 would keep it within.",
            forecast.Recommendation);
        Assert.Equal(19, forecast.Days.Length);
        Assert.Equal(new ForecastDay(Now, DateTimeOffset.Parse("2026-12-14T00:00:00Z"), 13m), forecast.Days[0]);
        Assert.Equal(35m, forecast.Days[^1].Amount); // the 31st, t = 60
    }

    [Fact]
    public void The_overrun_day_is_counted_in_the_budget_s_zone_and_its_instant_carries_the_zone_s_offset()
    {
        // 10 a day in New York; at 23:00 local (04:00 UTC the next day) an hour of today is left.
        var days = Enumerable.Repeat(10m, 21).ToArray();
        var now = DateTimeOffset.Parse("2026-12-14T04:00:00Z"); // 2026-12-13 23:00 -05:00
        var input = Monthly(days, todaySoFar: 0m, limit: 200m, now: now, zone: "America/New_York");
        Assert.Equal(120m, input.Spent);

        var forecast = Forecaster.Predict(input).AsForecast();

        // 120 + 10/24 by midnight, then 10 a day: the remaining 79 + 14/24 take 7 days and 23 hours, to
        // 23:00 on the 21st, local.
        Assert.Equal(8, forecast.DaysUntilOverrun);
        Assert.Equal(TimeSpan.FromHours(-5), forecast.OverrunAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 23, 0, 0, TimeSpan.FromHours(-5)), forecast.OverrunAt);
        Assert.Equal(DateTimeOffset.Parse("2027-01-01T00:00:00-05:00"), forecast.PeriodEnd);
    }

    [Fact]
    public void Weekly_seasonality_is_kept_in_the_forecast()
    {
        // Weekdays about 50, weekends about 10, no trend.
        var first = new LocalDate(2026, 12, 13).PlusDays(-49);
        var days = Enumerable.Range(0, 49)
            .Select(t => (Weekend(first.PlusDays(t)) ? 10m : 50m) + (decimal)Math.Round(2 * Wiggle(t), 2)).ToArray();
        var input = Monthly(days, todaySoFar: 5m, limit: 2000m);

        var forecast = Forecaster.Predict(input).AsForecast();
        Print(output, forecast, days);

        Assert.Equal(ForecastTrend.Flat, forecast.Trend);
        foreach (var day in forecast.Days.Skip(1))
        {
            var date = LocalDate.FromDateTime(day.From.UtcDateTime);
            Assert.InRange(day.Amount, Weekend(date) ? 6m : 45m, Weekend(date) ? 14m : 55m);
        }
    }

    [Fact]
    public void With_seasonality_and_growth_the_chosen_method_beats_seasonal_naive()
    {
        // Weekdays 40 growing by 0.6 a day, weekends a quarter of that, ±5 % noise, eight weeks.
        var first = new LocalDate(2026, 12, 13).PlusDays(-56);
        var days = Enumerable.Range(0, 56).Select(t =>
        {
            var level = 40.0 + 0.6 * t;
            var day = Weekend(first.PlusDays(t)) ? level / 4 : level;
            return (decimal)Math.Round(day * (1 + 0.05 * Wiggle(t)), 2);
        }).ToArray();
        var input = Monthly(days, todaySoFar: 30m, limit: 3000m);

        var forecast = Forecaster.Predict(input).AsForecast();
        var scores = Forecaster.Scores(days, horizon: 19);
        PrintScores(output, scores);
        Print(output, forecast, days);

        var naive = scores.Single(s => s.Method == ForecastMethods.SeasonalNaive);
        var chosen = scores.Single(s => s.Method == forecast.Method);
        Assert.NotEqual(ForecastMethods.SeasonalNaive, forecast.Method);
        Assert.True(chosen.Mae < naive.Mae, $"{chosen} against {naive}");
        Assert.Equal(ForecastTrend.Rising, forecast.Trend);
    }

    [Fact]
    public void A_one_day_spike_does_not_blow_up_the_forecast()
    {
        // 10 a day with a little noise, and 300 three days ago.
        var days = Enumerable.Range(0, 42).Select(t => 10m + (decimal)Math.Round(0.5 * Wiggle(t), 2)).ToArray();
        days[^3] = 300m;
        var input = Monthly(days, todaySoFar: 5m, limit: 1000m);

        var forecast = Forecaster.Predict(input).AsForecast();
        Print(output, forecast, days);

        // Without the spike the rest of the month is 18.5 · 10 = 185; it must stay near that.
        var rest = forecast.Predicted.P50 - input.Spent;
        Assert.InRange(rest, 170m, 215m);
        Assert.All(forecast.Days, d => Assert.InRange(d.Amount, 0m, 11m));
        Assert.Equal(ForecastTrend.Flat, forecast.Trend);
        // The spike did happen, so it may widen the band upwards, but not below what is spent.
        Assert.True(forecast.Predicted.P10 >= input.Spent);
    }

    [Fact]
    public void A_falling_series_reads_as_falling()
    {
        var days = Enumerable.Range(0, 28).Select(t => 60m - 1.5m * t).ToArray();

        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 10m, limit: null)).AsForecast();

        Assert.Equal(ForecastTrend.Falling, forecast.Trend);
        Assert.All(forecast.Days, d => Assert.True(d.Amount >= 0m)); // the line crosses zero; spend does not
    }

    [Fact]
    public void Without_a_limit_there_is_no_utilization_nor_overrun()
    {
        var days = Enumerable.Repeat(10m, 14).ToArray();

        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 5m, limit: null)).AsForecast();

        Assert.Null(forecast.UtilizationAtEnd);
        Assert.Null(forecast.OverrunAt);
        Assert.Null(forecast.DaysUntilOverrun);
        Assert.Equal(
            "At this rate alice-monthly spends about 310.00 by the end of the period (10.00 a day); it has no cost limit.",
            forecast.Recommendation);
    }

    [Fact]
    public void Within_the_limit_the_recommendation_says_how_much_room_is_left()
    {
        var days = Enumerable.Repeat(10m, 14).ToArray();

        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 5m, limit: 400m)).AsForecast();

        Assert.Null(forecast.OverrunAt);
        Assert.Equal(0.775m, forecast.UtilizationAtEnd);
        // 275 left over 18.5 days is 14.864…, rounded down.
        Assert.Equal(
            "At this rate alice-monthly ends the period at about 310.00 of its limit of 400.00 (78%); it can spend up to 14.86 a day and stay within.",
            forecast.Recommendation);
    }

    [Fact]
    public void Spend_already_past_the_limit_has_no_overrun_ahead_and_says_so()
    {
        var days = Enumerable.Repeat(10m, 14).ToArray();

        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 5m, limit: 100m)).AsForecast();

        Assert.Null(forecast.OverrunAt);
        Assert.Null(forecast.DaysUntilOverrun);
        Assert.Equal(3.1m, forecast.UtilizationAtEnd);
        Assert.StartsWith("alice-monthly has already passed its limit of 100.00 (125.00 spent)", forecast.Recommendation);
    }

    [Fact]
    public void Tokens_read_as_whole_numbers_with_their_unit()
    {
        var days = Enumerable.Repeat(10_000m, 14).ToArray();

        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 5_000m, limit: 200_000m, metric: "tokens")).AsForecast();

        Assert.Equal(
            "At this rate alice-monthly passes its limit of 200000 tokens on 2026-12-21 (in 8 days); 4054 tokens a day instead of 10000 tokens would keep it within.",
            forecast.Recommendation);
    }

    internal static bool Weekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    internal static void PrintScores(ITestOutputHelper output, IEnumerable<MethodScore> scores)
    {
        output.WriteLine("method                 MAE        sMAPE %    MAPE %     points");
        foreach (var s in scores)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Method,-22} {s.Mae,-10:0.000} {s.Smape,-10:0.00} {(s.Mape is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "-"),-10} {s.Points}"));
        }
    }

    internal static void Print(ITestOutputHelper output, Forecast forecast, IReadOnlyList<decimal> days)
    {
        output.WriteLine($"history: {string.Join(' ', days.Skip(Math.Max(0, days.Count - 21)))}");
        output.WriteLine($"{forecast.Method}, trend {forecast.Trend}, spent {forecast.Spent}, predicted {forecast.Predicted}, overrun {forecast.OverrunAt}");
        output.WriteLine($"path: {string.Join(' ', forecast.Days.Select(d => d.Amount.ToString("0.00", CultureInfo.InvariantCulture)))}");
        output.WriteLine(forecast.Recommendation);
    }
}
