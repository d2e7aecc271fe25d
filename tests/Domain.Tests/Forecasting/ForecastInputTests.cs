using BudgetActors.Domain.Forecasting;
using NodaTime;
using static BudgetActors.Domain.Tests.Forecasting.ForecastScenario;

namespace BudgetActors.Domain.Tests.Forecasting;

public class ForecastInputTests
{
    private static readonly ForecastInput Good = Monthly(Enumerable.Repeat(10m, 14).ToArray(), todaySoFar: 5m, limit: 400m);

    public static TheoryData<string> Bad => new()
    {
        "zone", "period", "limit", "spent", "today", "value", "future", "budget",
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_input_is_refused_by_name(string what)
    {
        var input = what switch
        {
            "zone" => Good with { TimeZone = "Mars/Olympus" },
            "period" => Good with { PeriodEnd = Good.PeriodStart },
            "limit" => Good with { Limit = -1m },
            "spent" => Good with { Spent = -0.01m },
            "today" => Good with { TodaySoFar = -1m },
            "value" => Good with { Daily = new Dictionary<LocalDate, decimal> { [new LocalDate(2026, 12, 1)] = -3m } },
            "future" => Good with { Daily = new Dictionary<LocalDate, decimal> { [new LocalDate(2026, 12, 14)] = 3m } },
            "budget" => Good with { BudgetId = " " },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        Assert.ThrowsAny<ArgumentException>(() => Forecaster.Predict(input));
    }

    [Fact]
    public void Today_s_spend_may_come_from_the_series()
    {
        var withToday = new Dictionary<LocalDate, decimal>(Good.Daily) { [new LocalDate(2026, 12, 13)] = 5m };

        var fromSeries = Forecaster.Predict(Good with { Daily = withToday, TodaySoFar = null }).AsForecast();
        var given = Forecaster.Predict(Good).AsForecast();

        Assert.Equal(given.Predicted, fromSeries.Predicted);
        Assert.Equal(14, fromSeries.HistoryDays);
    }

    [Fact]
    public void One_metric_is_taken_out_of_a_trend()
    {
        BudgetActors.Domain.Reports.TrendDay[] days = [new(new DateOnly(2026, 12, 1), 1.5m, 2000m, 3m, 4)];

        Assert.Equal(2000m, ForecastInput.DailyOf(days, "tokens")[new LocalDate(2026, 12, 1)]);
        Assert.Equal(1.5m, ForecastInput.DailyOf(days, "cost")[new LocalDate(2026, 12, 1)]);
        Assert.Throws<ArgumentException>(() => ForecastInput.DailyOf(days, "watts"));
    }

    [Fact]
    public void A_period_that_is_over_forecasts_nothing_more()
    {
        var over = Good with { Now = Good.PeriodEnd.AddHours(1), Daily = new Dictionary<LocalDate, decimal>(), FirstDay = new LocalDate(2026, 12, 1) };

        var forecast = Forecaster.Predict(over).AsForecast();

        Assert.Equal(new PredictedSpend(over.Spent, over.Spent, over.Spent), forecast.Predicted);
        Assert.Empty(forecast.Days);
        Assert.Null(forecast.OverrunAt);
        Assert.StartsWith("alice-monthly's period is over", forecast.Recommendation);
    }
}
