using System.Collections.Immutable;
using BudgetActors.Domain.Forecasting;
using BudgetActors.Domain.Tests.Forecasting;

namespace BudgetActors.Domain.Tests;

/// <summary>
/// What a period carries besides spend, without a silo: alert facts (each threshold, each state and a
/// forecast overrun at most once a period, however spend hovers, and again after rollover), limits
/// raised by approved overrides until they expire, and emergency room taken from the ledger.
/// </summary>
public class PeriodMarksTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("49.999999", null)]
    [InlineData("50", "0.5")]
    [InlineData("74.99", "0.5")]
    [InlineData("75", "0.75")]
    [InlineData("100", "1.0")]
    [InlineData("250", "1.0")]
    public void A_threshold_is_reached_at_its_value_not_before_and_only_the_highest_reached_is_told(string spend, string? expected)
    {
        var account = Account(alerts: Policy());
        account.Charge(Budgets.Cost(decimal.Parse(spend, System.Globalization.CultureInfo.InvariantCulture)));

        var facts = account.NoteAlertFacts().Where(f => f.Kind == AlertFactKind.Threshold).ToList();

        decimal?[] wanted = expected is null ? [] : [decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Equal(wanted, facts.Select(f => f.Threshold));
    }

    [Fact]
    public void Each_threshold_and_each_state_is_told_once_a_period_however_spend_hovers_and_again_after_rollover()
    {
        var account = Account(alerts: Policy());
        var told = new List<string>();
        void Note() => told.AddRange(account.NoteAlertFacts().Select(f => $"{f.Kind}:{f.Threshold?.ToString() ?? f.State.ToString()}"));

        // Hover around 75% with holds that come and go: reached once.
        account.Charge(Budgets.Cost(70));
        Note();
        for (var i = 0; i < 5; i++)
        {
            account.Reserve($"r{i}", Budgets.Cost(10));
            Note();
            account.Release($"r{i}");
            Note();
        }

        Assert.Equal(["Threshold:0.5", "Threshold:0.75", "State:Warning"], told);

        account.Charge(Budgets.Cost(25));
        Note();
        Assert.Equal(["Threshold:0.9", "State:Throttled"], told.Skip(3));

        account.Advance(Start.AddMonths(1)); // the next period
        told.Clear();
        account.Charge(Budgets.Cost(60));
        Note();
        Assert.Equal(["Threshold:0.5"], told);
    }

    [Fact]
    public void Without_an_alert_policy_states_are_still_noted_but_no_threshold()
    {
        var account = Account(alerts: null);
        account.Charge(Budgets.Cost(100));

        var facts = account.NoteAlertFacts();

        Assert.Equal([(AlertFactKind.State, BudgetState.Blocked)], facts.Select(f => (f.Kind, f.State)));
    }

    [Fact]
    public void A_forecast_whose_median_passes_the_limit_before_the_period_ends_is_told_once_a_period_and_again_after_rollover()
    {
        var account = Account(alerts: Policy(forecast: true), cost: 300m);
        var input = ForecastScenario.Monthly(Enumerable.Repeat(10m, 12).ToArray(), todaySoFar: 5m, limit: 300m); // 125 spent by noon of the 13th
        account.Charge(Budgets.Cost(input.Spent));
        var forecast = Forecaster.Predict(input).AsForecast();
        Assert.True(account.AwaitsForecast);

        var fact = account.NoteForecast(forecast);

        // 10 a day from the 13th's noon: 300 by the end of the 30th, passed on the 31st, and the month ends at 310.
        Assert.NotNull(fact);
        Assert.Equal((AlertFactKind.Forecast, "cost", 125m, 300m), (fact.Kind, fact.Metric, fact.Spent, fact.Limit));
        Assert.Equal(forecast.OverrunAt, fact.OverrunAt);
        Assert.Equal(new DateOnly(2026, 12, 31), DateOnly.FromDateTime(fact.OverrunAt!.Value.UtcDateTime));
        Assert.Equal(forecast.Predicted.P50, fact.ProjectedAtEnd);
        Assert.Equal(310m, Math.Round(fact.ProjectedAtEnd!.Value));
        Assert.False(account.AwaitsForecast);
        Assert.Null(account.NoteForecast(forecast)); // once a period
        Assert.Empty(account.NoteAlertFacts()); // 125 of 300 is under the first threshold, and the forecast is not a threshold

        var restored = BudgetAccount.Restore(account.Snapshot(), ForecastScenario.Now.AddHours(1));
        Assert.Null(restored.NoteForecast(forecast)); // the mark is in the snapshot

        restored.Advance(Start.AddMonths(1));
        Assert.True(restored.AwaitsForecast);
        Assert.Null(restored.NoteForecast(forecast)); // a forecast of last period says nothing about this one
        restored.Charge(Budgets.Cost(125m));
        var nextMonth = ForecastScenario.Monthly(Enumerable.Repeat(10m, 12).ToArray(), todaySoFar: 5m, limit: 300m, now: ForecastScenario.Now.AddMonths(1));
        Assert.NotNull(restored.NoteForecast(Forecaster.Predict(nextMonth).AsForecast()));
    }

    [Theory]
    [InlineData(400, 125, true)] // the median ends the month at 310: within 400
    [InlineData(300, 301, true)] // already past the limit: the state has told it
    [InlineData(300, 125, false)] // no forecasting policy
    public void A_forecast_is_not_told_when_it_stays_within_the_limit_when_spend_is_past_it_or_without_the_policy(int limit, int spent, bool forecasting)
    {
        var account = Account(alerts: Policy(forecast: forecasting), cost: limit);
        account.Charge(Budgets.Cost(spent));
        var forecast = Forecaster.Predict(ForecastScenario.Monthly(Enumerable.Repeat(10m, 12).ToArray(), todaySoFar: 5m, limit: limit) with { Spent = spent })
            .AsForecast();

        Assert.Null(account.NoteForecast(forecast));
        Assert.Equal(forecasting, account.AwaitsForecast);
    }

    [Fact]
    public void A_limit_raised_past_the_forecast_since_it_was_made_silences_it()
    {
        var account = Account(alerts: Policy(forecast: true), cost: 300m);
        var input = ForecastScenario.Monthly(Enumerable.Repeat(10m, 12).ToArray(), todaySoFar: 5m, limit: 300m);
        account.Charge(Budgets.Cost(input.Spent));
        var forecast = Forecaster.Predict(input).AsForecast();

        account.Redefine(account.Definition with { Limits = account.Definition.Limits with { Cost = 350m } }, ForecastScenario.Now);

        Assert.Null(account.NoteForecast(forecast));
        Assert.True(account.AwaitsForecast); // the next forecast, against 350, decides
    }

    [Fact]
    public void Budgets_whose_period_never_ends_await_no_forecast()
    {
        var total = new BudgetAccount(Budgets.Define(cost: 100m, period: PeriodType.Total) with { Alerts = Policy(forecast: true) }, Start, Start);

        Assert.False(total.AwaitsForecast);
    }

    [Fact]
    public void An_approved_raise_counts_until_it_expires_and_the_facts_say_when_that_is()
    {
        var expiresAt = Start.AddDays(2);
        var account = Account(alerts: null, raises: [new LimitRaise("ovr-1", new Amount(50m, 0, 0), expiresAt)]);
        account.Charge(Budgets.Cost(90));

        Assert.Equal(Decision.Allow, account.Evaluate(Budgets.Cost(20), 0).Decision); // 110 of 150
        Assert.Equal(150m, account.Status().Cost.Limit);
        Assert.Equal(expiresAt, account.Facts().NextExpiry);
        Assert.False(account.Facts().CurrentAt(expiresAt));

        Assert.True(account.Advance(expiresAt)); // the limits changed by themselves
        Assert.Equal(100m, account.Status().Cost.Limit);
        Assert.Equal(Decision.Block, account.Evaluate(Budgets.Cost(20), 0).Decision); // 110 of 100
    }

    [Fact]
    public void A_raise_only_lifts_metrics_the_budget_limits()
    {
        var definition = Budgets.Define(cost: 100m) with { Raises = [new LimitRaise("o", new Amount(5m, 1000, 3), Start.AddDays(1))] };

        Assert.Equal(new Limits(105m, null, null), definition.LimitsAt(Start));
        Assert.Equal(new Limits(100m, null, null), definition.LimitsAt(Start.AddDays(1)));
    }

    [Fact]
    public void Emergency_room_raises_the_limits_for_the_rest_of_its_period_and_counts_against_the_uses()
    {
        var account = Account(alerts: null, emergency: new EmergencyPolicy(new Amount(5m, 0, 0), 2));
        Assert.Equal(2, account.EmergencyUsesLeft);

        account.Apply(new SpendEvent(LedgerEvents.NextSequence(), LedgerEntryKind.Emergency, null, new Amount(5m, 0, 0), null, Start.AddDays(3)));

        Assert.Equal(105m, account.Status().Cost.Limit);
        Assert.Equal(1, account.EmergencyUsesLeft);
        Assert.Equal(0m, account.Spent.Cost); // room, not spend

        // An entry recorded in a period already closed changes nothing now.
        account.Advance(Start.AddMonths(1));
        Assert.Equal(100m, account.Status().Cost.Limit);
        Assert.Equal(2, account.EmergencyUsesLeft);
        account.Apply(new SpendEvent(LedgerEvents.NextSequence(), LedgerEntryKind.Emergency, null, new Amount(5m, 0, 0), null, Start.AddDays(4)));
        Assert.Equal(2, account.EmergencyUsesLeft);
    }

    [Fact]
    public void Marks_survive_a_snapshot_so_a_restored_budget_does_not_tell_again()
    {
        var account = Account(alerts: Policy(), emergency: new EmergencyPolicy(new Amount(5m, 0, 0), 1));
        account.Apply(new SpendEvent(LedgerEvents.NextSequence(), LedgerEntryKind.Emergency, null, new Amount(5m, 0, 0), null, Start.AddDays(1)));
        account.Charge(Budgets.Cost(80));
        Assert.NotEmpty(account.NoteAlertFacts());

        var restored = BudgetAccount.Restore(account.Snapshot(), Start.AddDays(2));

        Assert.Empty(restored.NoteAlertFacts());
        Assert.Equal((105m, 0), (restored.Status().Cost.Limit!.Value, restored.EmergencyUsesLeft));
    }

    private static BudgetAccount Account(AlertPolicy? alerts, ImmutableArray<LimitRaise> raises = default, EmergencyPolicy? emergency = null, decimal cost = 100m) =>
        new(Budgets.Define(cost: cost) with { Alerts = alerts, Raises = raises.IsDefault ? [] : raises, Emergency = emergency }, Start, Start);

    private static AlertPolicy Policy(bool forecast = false) => new(AlertPolicy.DefaultThresholds, [], 60, 10, forecast, null);
}
