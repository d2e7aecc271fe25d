namespace BudgetActors.Domain.Tests.Periods;

/// <summary>
/// Rolling windows: the spend of the last windowMinutes, kept in 60 buckets of windowMinutes seconds
/// each. Spend leaves the window once a whole window has passed since its bucket ended — between N and
/// N + N/60 minutes after it was recorded, never earlier.
/// </summary>
public class RollingWindowTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static BudgetDefinition Hourly(decimal cost = 100m) =>
        Budgets.Define(cost: cost) with { Period = new PeriodSpec(PeriodType.Rolling, "Europe/Paris", WindowMinutes: 60) };

    [Fact]
    public void A_bucket_is_one_sixtieth_of_the_window()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), PeriodCalendar.BucketWidth(new PeriodSpec(PeriodType.Rolling, "UTC", WindowMinutes: 60)));
        Assert.Equal(TimeSpan.FromMinutes(24), PeriodCalendar.BucketWidth(new PeriodSpec(PeriodType.Rolling, "UTC", WindowMinutes: 1440)));
        Assert.Equal(TimeSpan.FromSeconds(1), PeriodCalendar.BucketWidth(new PeriodSpec(PeriodType.Rolling, "UTC", WindowMinutes: 1)));
    }

    [Fact]
    public void The_window_runs_from_its_oldest_bucket_to_the_end_of_the_current_one()
    {
        var window = PeriodCalendar.PeriodContaining(Hourly().Period, Noon.AddSeconds(30), Noon);

        Assert.Equal(Noon.AddMinutes(-60), window.Start);
        Assert.Equal(Noon.AddMinutes(1), window.End);
    }

    [Fact]
    public void Spend_counts_for_the_whole_window_after_it_was_recorded_and_leaves_at_the_end_of_its_bucket()
    {
        var account = new BudgetAccount(Hourly(), Noon, Noon);
        account.Usage(Spend.Cost(30m), Noon.AddSeconds(30));
        account.Usage(Spend.Cost(20m), Noon.AddMinutes(30));
        Assert.Equal(50m, account.Status().Cost.Spent);

        account.Advance(Noon.AddMinutes(60).AddSeconds(30)); // exactly 60 min after the first: still counted
        Assert.Equal(50m, account.Status().Cost.Spent);
        account.Advance(Noon.AddMinutes(61).AddTicks(-1));
        Assert.Equal(50m, account.Status().Cost.Spent);

        Assert.True(account.Advance(Noon.AddMinutes(61))); // its bucket (12:00–12:01) has left the window
        var status = account.Status();
        Assert.Equal(20m, status.Cost.Spent);
        Assert.Equal(Noon.AddMinutes(1), status.PeriodStart);
        Assert.Equal(Noon.AddMinutes(62), status.PeriodEnd);

        account.Advance(Noon.AddMinutes(91));
        Assert.Equal(0m, account.Status().Cost.Spent);
        Assert.Empty(account.Buckets);
        Assert.Empty(account.History); // a window slides; it never closes
    }

    [Fact]
    public void A_hard_rolling_budget_admits_again_as_old_spend_leaves_the_window()
    {
        var account = new BudgetAccount(Hourly(cost: 10m), Noon, Noon);
        account.Usage(Spend.Cost(10m), Noon);

        Assert.Equal(Decision.Block, account.Evaluate(Spend.Cost(1m), 0).Decision);
        var reason = account.Evaluate(Spend.Cost(1m), 0).Reason!;
        Assert.Equal(Noon.AddMinutes(1), reason.RetryAfter); // when the window next slides

        account.Advance(Noon.AddMinutes(61));
        Assert.Equal(Decision.Allow, account.Evaluate(Spend.Cost(1m), 0).Decision);
    }

    [Fact]
    public void Spend_older_than_the_window_does_not_count_and_spend_in_it_counts_in_its_bucket()
    {
        var account = new BudgetAccount(Hourly(), Noon, Noon);
        account.Advance(Noon.AddMinutes(30));

        account.Usage(Spend.Cost(7m), Noon.AddMinutes(-40)); // 70 min ago: out of the window
        account.Usage(Spend.Cost(3m), Noon.AddMinutes(-10)); // 40 min ago: in it

        Assert.Equal(3m, account.Spent.Cost);
        Assert.Equal(3m, Assert.Single(account.Buckets).Value.Cost);
        account.Advance(Noon.AddMinutes(51));
        Assert.Equal(0m, account.Spent.Cost);
    }

    [Fact]
    public void A_restored_account_keeps_its_buckets_and_lets_them_go_on_time()
    {
        var account = new BudgetAccount(Hourly(), Noon, Noon);
        account.Usage(Spend.Cost(4m), Noon);
        account.Usage(Spend.Cost(6m), Noon.AddMinutes(20));

        var restored = BudgetAccount.Restore(account.Snapshot(), Noon.AddMinutes(30));
        Assert.Equal(10m, restored.Spent.Cost);
        Assert.Equal(account.Buckets, restored.Buckets);

        restored.Advance(Noon.AddMinutes(61));
        Assert.Equal(6m, restored.Spent.Cost);
    }

    [Fact]
    public void Alerts_are_raised_once_per_window_length_however_the_window_slides()
    {
        var definition = Hourly() with { Alerts = new AlertPolicy([0.5m], [], 60, 10, false, null) };
        var account = new BudgetAccount(definition, Noon, Noon);
        account.Usage(Spend.Cost(60m), Noon.AddMinutes(1));
        Assert.Contains(account.NoteAlertFacts(), f => f.Kind == AlertFactKind.Threshold);

        account.Advance(Noon.AddMinutes(30)); // slid thirty times, same stretch of an hour
        Assert.DoesNotContain(account.NoteAlertFacts(), f => f.Kind == AlertFactKind.Threshold);

        account.Advance(Noon.AddMinutes(61)); // the next hour: the spend is still in the window
        Assert.Contains(account.NoteAlertFacts(), f => f.Kind == AlertFactKind.Threshold);
    }
}
