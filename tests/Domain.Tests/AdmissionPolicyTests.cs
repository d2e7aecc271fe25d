namespace BudgetActors.Domain.Tests;

/// <summary>
/// Issue 10's admission policies at and around their boundaries, on the account a budget grain
/// keeps, with the clock passed in: per-request caps, the throttle factor, grace, priority bypass
/// within the emergency ceiling, rate limits, and the reasons each answer carries.
/// </summary>
public class AdmissionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static BudgetAccount Account(BudgetDefinition definition) => new(definition, Now, Now);

    [Theory]
    [InlineData(2.00, Decision.Allow)]
    [InlineData(2.000001, Decision.Block)]
    public void A_per_request_cost_cap_admits_exactly_up_to_the_cap(decimal asked, Decision expected)
    {
        var account = Account(Budgets.Define(cost: 100m) with { PerRequest = new Limits(2.00m, null, null) });

        var verdict = account.Check(Budgets.Cost(asked), 0, Now);

        Assert.Equal(expected, verdict.Decision);
        if (expected == Decision.Block)
        {
            var reason = Assert.IsType<BudgetReason>(verdict.Reason);
            Assert.Equal(("perRequest.cost", 2.00m, asked), (reason.Metric, reason.Limit, reason.Requested));
            Assert.Null(reason.RetryAfter); // asking again later does not help
            Assert.Equal("b: this request asks for 2.000001 cost, more than the 2.00 one request may ask for.", reason.Message);
        }
    }

    [Fact]
    public void A_per_request_cap_refuses_even_on_a_soft_budget_and_names_the_tokens_cap()
    {
        var account = Account(Budgets.Define(tokens: 1_000_000, mode: EnforcementMode.Soft) with { PerRequest = new Limits(null, 100_000, null) });

        Assert.Equal(Decision.Allow, account.Check(new Amount(0m, 100_000, 1), 0, Now).Decision);
        var refused = account.Check(new Amount(0m, 100_001, 1), 0, Now);
        Assert.Equal((Decision.Block, "perRequest.tokens"), (refused.Decision, refused.Reason?.Metric));
        Assert.Equal(0m, account.Status().Tokens.Reserved + account.Status().Tokens.Spent);
    }

    [Theory]
    [InlineData(89.99, Decision.Warn, null)]
    [InlineData(90, Decision.Throttle, 0.5)]
    [InlineData(99.99, Decision.Throttle, 0.5)]
    public void A_configured_throttle_factor_replaces_the_linear_one_from_the_throttle_threshold(decimal spent, Decision expected, double? factor)
    {
        var account = Account(Budgets.Define(cost: 100m) with { Enforcement = new EnforcementPolicy(ThrottleFactor: 0.5m) });
        account.Charge(Budgets.Cost(spent));

        var verdict = account.Check(Amount.Zero, 0, Now);

        Assert.Equal((expected, (decimal?)factor), (verdict.Decision, verdict.ThrottleFactor));
    }

    [Fact]
    public void Downgrade_starts_at_the_throttle_threshold_and_says_which_model()
    {
        var account = Account(Budgets.Define(cost: 100m, downgradeTo: "gpt-4o-mini"));
        account.Charge(Budgets.Cost(89m));
        Assert.Equal(Decision.Warn, account.Check(Budgets.Cost(0.99m), 0, Now).Decision);

        var verdict = account.Check(Budgets.Cost(1m), 0, Now);

        Assert.Equal((Decision.Downgrade, "gpt-4o-mini"), (verdict.Decision, verdict.DowngradeTo));
        Assert.Contains("use gpt-4o-mini instead", verdict.Reason!.Message);
    }

    [Fact]
    public void Grace_starts_the_first_time_the_block_threshold_is_reached_and_ends_on_time_once_a_period()
    {
        var account = Account(Budgets.Define(cost: 10m, period: PeriodType.Daily) with { Enforcement = new EnforcementPolicy(GracePeriodMinutes: 10) });
        account.Charge(Budgets.Cost(9m));
        Assert.Equal(Decision.Throttle, account.Check(Budgets.Cost(1m), 0, Now).Decision);
        Assert.Null(account.Marks?.GraceStartedAt); // not reached yet: nothing started

        var start = Now.AddMinutes(5);
        var first = account.Check(Budgets.Cost(2m), 0, start);

        Assert.Equal(Decision.Warn, first.Decision);
        Assert.Equal(start, account.Marks!.GraceStartedAt);
        Assert.Contains("admitted in its grace period until 2026-12-01 12:15 UTC", first.Reason!.Message);
        Assert.Equal(Decision.Warn, account.Check(Budgets.Cost(2m), 0, start.AddMinutes(10).AddTicks(-1)).Decision);
        Assert.Equal(Decision.Block, account.Check(Budgets.Cost(2m), 0, start.AddMinutes(10)).Decision);
        Assert.Equal(Decision.Block, account.Check(Budgets.Cost(2m), 0, start.AddHours(3)).Decision); // not again this period
        Assert.Equal(start, account.Marks!.GraceStartedAt);

        var tomorrow = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        account.Advance(tomorrow);
        account.Charge(Budgets.Cost(10m));
        Assert.Equal(Decision.Warn, account.Check(Budgets.Cost(1m), 0, tomorrow).Decision); // a fresh grace in the new period
        Assert.Equal(tomorrow, account.Marks!.GraceStartedAt);
    }

    [Fact]
    public void Background_work_gets_no_grace()
    {
        var account = Account(Budgets.Define(cost: 10m) with { Enforcement = new EnforcementPolicy(GracePeriodMinutes: 10) });
        account.Charge(Budgets.Cost(10m));

        Assert.Equal(Decision.Block, account.Check(Budgets.Cost(1m), -1, Now).Decision);
        Assert.Null(account.Marks?.GraceStartedAt);
    }

    [Theory]
    [InlineData(900, 1.00, Decision.Warn)]
    [InlineData(900, 1.000001, Decision.Block)]
    [InlineData(899, 0.01, Decision.Block)]
    public void Bypass_admits_high_priority_requests_up_to_the_emergency_ceiling_and_no_further(int priority, decimal asked, Decision expected)
    {
        var account = Account(Budgets.Define(cost: 10m) with { Enforcement = new EnforcementPolicy(BypassPriority: 900, EmergencyCeiling: 1.1m) });
        account.Charge(Budgets.Cost(10m));

        var verdict = account.Check(Budgets.Cost(asked), priority, Now);

        Assert.Equal(expected, verdict.Decision);
        if (expected == Decision.Warn)
        {
            Assert.Equal("b: 10.00 spent + 1.00 requested passes the monthly cost limit of 10.00; admitted for its priority, within the emergency ceiling of 11.00.",
                verdict.Reason!.Message);
        }
    }

    [Fact]
    public void Bypass_holds_never_pass_the_ceiling_however_many_ask()
    {
        var account = Account(Budgets.Define(cost: 10m) with { Enforcement = new EnforcementPolicy(BypassPriority: 900, EmergencyCeiling: 1.1m) });
        account.Charge(Budgets.Cost(9.5m));

        var granted = Enumerable.Range(0, 1000).Count(i => account.Reserve($"r{i}", Budgets.Cost(0.01m), priority: 950) == HoldDecision.Granted);

        Assert.Equal(150, granted); // 9.50 + 150 × 0.01 = 11.00, the ceiling exactly
        Assert.Equal(11.00m, account.Status().Cost.Spent + account.Status().Cost.Reserved);
    }

    [Fact]
    public void Requests_per_minute_admit_exactly_the_limit_and_say_when_the_next_fits()
    {
        var account = Account(Budgets.Define(cost: 100m) with { RateLimits = new RateLimits(60, null) });

        var admitted = Enumerable.Range(0, 100).Count(_ => account.Check(Amount.Zero, 0, Now).Decision != Decision.Block);
        var refused = account.Check(Amount.Zero, 0, Now);

        Assert.Equal(60, admitted);
        var reason = refused.Reason!;
        Assert.Equal(("requestsPerMinute", 60m, 60m, 1m), (reason.Metric, reason.Limit, reason.Spent, reason.Requested));
        Assert.Equal(Now.AddSeconds(1), reason.RetryAfter);
        Assert.Equal("b: 60 of 60 requests in the last minute; this request fits again at 2026-12-01 12:00:01 UTC.", reason.Message);
        Assert.Equal(Decision.Block, account.Check(Amount.Zero, 0, Now.AddSeconds(1).AddTicks(-1)).Decision);
        Assert.Equal(Decision.Allow, account.Check(Amount.Zero, 0, Now.AddSeconds(1)).Decision);
        Assert.Equal(Decision.Block, account.Check(Amount.Zero, 0, Now.AddSeconds(1)).Decision);
    }

    [Fact]
    public void Tokens_per_minute_count_the_tokens_asked_and_refuse_a_request_larger_than_a_minute_allows()
    {
        var account = Account(Budgets.Define(tokens: 1_000_000) with { RateLimits = new RateLimits(null, 1000) });

        Assert.Equal(Decision.Allow, account.Check(new Amount(0m, 400, 1), 0, Now).Decision);
        Assert.Equal(Decision.Allow, account.Check(new Amount(0m, 600, 1), 0, Now).Decision);
        var full = account.Check(new Amount(0m, 1, 1), 0, Now).Reason!;
        Assert.Equal(("tokensPerMinute", 1000m, 1m), (full.Metric, full.Spent, full.Requested));
        Assert.Equal(Now.AddMilliseconds(60), full.RetryAfter); // one token's interval: 60 ms

        var tooBig = account.Check(new Amount(0m, 1001, 1), 0, Now.AddHours(1)).Reason!;
        Assert.Equal(("tokensPerMinute", (DateTimeOffset?)null), (tooBig.Metric, tooBig.RetryAfter));
        Assert.Equal(Decision.Allow, account.Check(new Amount(0m, 1000, 1), 0, Now.AddHours(1)).Decision); // the refusal took nothing
    }

    [Fact]
    public void A_refused_request_takes_nothing_from_the_rate_limit()
    {
        var account = Account(Budgets.Define(cost: 10m) with { RateLimits = new RateLimits(2, null) });

        Assert.Equal(Decision.Block, account.Check(Budgets.Cost(11m), 0, Now).Decision);
        Assert.Equal(Decision.Block, account.Check(Budgets.Cost(11m), 0, Now).Decision);
        Assert.Equal(Decision.Allow, account.Check(Budgets.Cost(1m), 0, Now).Decision);
        Assert.Equal(Decision.Allow, account.Check(Budgets.Cost(1m), 0, Now).Decision);
        Assert.Equal("requestsPerMinute", account.Check(Budgets.Cost(1m), 0, Now).Reason!.Metric);
    }

    [Fact]
    public void A_block_reason_gives_the_figures_and_the_reset_in_the_budgets_zone()
    {
        var paris = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);
        var account = new BudgetAccount(Budgets.Define("alice-daily", cost: 10m, period: PeriodType.Daily, timeZone: "Europe/Paris"), paris, paris);
        account.Charge(Budgets.Cost(6.5m));

        var reason = account.Check(Budgets.Cost(8m), 0, paris).Reason!;

        Assert.Equal(new BudgetReason("alice-daily", Decision.Block, "cost", 10m, 6.5m, 0m, 8m,
            new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.FromHours(1)),
            "alice-daily: 6.50 spent + 8.00 requested passes the daily cost limit of 10.00 (resets 2026-12-02 00:00 Europe/Paris)."), reason);
        Assert.Equal(TimeSpan.FromHours(1), reason.RetryAfter!.Value.Offset);
    }

    [Fact]
    public void A_total_budget_never_clears_by_itself_and_an_allow_has_no_reason()
    {
        var account = Account(Budgets.Define(cost: 10m, period: PeriodType.Total));

        Assert.Null(account.Check(Budgets.Cost(1m), 0, Now).Reason);
        var reason = account.Check(Budgets.Cost(11m), 0, Now).Reason!;
        Assert.Null(reason.RetryAfter);
        Assert.EndsWith("(a total budget: it does not reset).", reason.Message);
    }

    [Fact]
    public void Facts_answer_a_check_only_when_the_grain_need_not_count_it()
    {
        var graceful = Account(Budgets.Define(cost: 10m) with { Enforcement = new EnforcementPolicy(GracePeriodMinutes: 5) });
        graceful.Charge(Budgets.Cost(10m));
        Assert.Null(graceful.Facts().TryEvaluate(Budgets.Cost(1m), 0, Now)); // would start the grace
        Assert.Equal(Decision.Throttle, graceful.Facts().TryEvaluate(Amount.Zero, 0, Now)!.Decision);

        var limited = Account(Budgets.Define(cost: 10m) with { RateLimits = new RateLimits(100, null) });
        Assert.Null(limited.Facts().TryEvaluate(Amount.Zero, 0, Now)); // every request counts
    }
}
