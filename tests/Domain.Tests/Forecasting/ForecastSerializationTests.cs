using BudgetActors.Domain.Forecasting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static BudgetActors.Domain.Tests.Forecasting.ForecastScenario;

namespace BudgetActors.Domain.Tests.Forecasting;

/// <summary>Answers cross grain calls as they are: the grain that computes a forecast returns it whole.</summary>
public class ForecastSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void A_forecast_round_trips_as_an_outcome()
    {
        var days = Enumerable.Range(0, 42).Select(t => 5m + 0.5m * t).ToArray();
        var forecast = Forecaster.Predict(Monthly(days, todaySoFar: 13m, limit: 366.25m)).AsForecast();

        var copy = Assert.IsType<Forecast>(Serializer.Deserialize<ForecastOutcome>(Serializer.SerializeToArray<ForecastOutcome>(forecast)));

        Assert.Equal(forecast with { Days = copy.Days }, copy);
        Assert.True(forecast.Days.SequenceEqual(copy.Days)); // by value: each day's instants and amount
        Assert.Equal(forecast.OverrunAt!.Value.Offset, copy.OverrunAt!.Value.Offset);
    }

    [Fact]
    public void Insufficient_history_round_trips_as_an_outcome()
    {
        var outcome = Forecaster.Predict(Monthly([10m, 20m], todaySoFar: 6m, limit: 100m));

        var copy = Serializer.Deserialize<ForecastOutcome>(Serializer.SerializeToArray(outcome));

        Assert.Equal(new InsufficientHistory(2, 14.4m), copy);
    }
}
