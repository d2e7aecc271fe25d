using System.Collections.Immutable;

namespace BudgetActors.Domain.Tests;

/// <summary>The request rules, as every door runs them: what they refuse, under which field, and what they let through.</summary>
public class RequestRulesTests
{
    private static readonly ImmutableSortedDictionary<string, string> NoAttributes =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    private static ReserveRequest Reserve(AmountSpec estimate) => new("k", NoAttributes, estimate, TimeSpan.FromMinutes(5));

    private static string[] Fields(RequestErrors errors) => [.. errors.ToImmutable().Keys];

    [Fact]
    public void A_valid_request_has_no_errors()
    {
        Assert.True(RequestRules.Validate(Reserve(new ExplicitAmount(new Amount(1_000_000_000_000m, 1_000_000_000_000_000, 1)))).IsEmpty);
        Assert.True(RequestRules.Validate(new UsageRequest("u", NoAttributes, new JobUsage(1m, 2m, 3, 4, 5)), DateTimeOffset.UnixEpoch).IsEmpty);
        Assert.True(RequestRules.Validate(Reserve(new LlmEstimate("gpt-4o", [new PromptMessage("user", "hi")], null, 10, ["{\"name\":\"f\"}"]))).IsEmpty);
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-86_400 * 400, true)]
    public void A_usage_timestamp_may_be_at_most_five_minutes_ahead_and_any_time_back(int secondsAhead, bool valid)
    {
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var usage = new UsageRequest("u", NoAttributes, new ExplicitAmount(new Amount(1m, 0, 0)), now.AddSeconds(secondsAhead));

        Assert.Equal(valid ? [] : ["timestamp"], Fields(RequestRules.Validate(usage, now)));
    }

    [Theory]
    [InlineData("-0.000001", 0, 0, "estimate.cost")]
    [InlineData("1000000000000.000001", 0, 0, "estimate.cost")]
    [InlineData("0", -1, 0, "estimate.tokens")]
    [InlineData("0", 1_000_000_000_000_001, 0, "estimate.tokens")]
    [InlineData("0", 0, -1, "estimate.operations")]
    public void Amounts_out_of_range_are_refused_by_field(string cost, long tokens, long operations, string field) =>
        Assert.Equal([field], Fields(RequestRules.Validate(Reserve(new ExplicitAmount(new Amount(decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture), tokens, operations))))));

    [Fact]
    public void Ttl_priority_key_and_attributes_are_checked_together()
    {
        var request = new ReserveRequest("white space", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [KeyValuePair.Create("tenant", "x"), KeyValuePair.Create("user", "al ice")]),
            new ExplicitAmount(Amount.Zero), TimeSpan.FromDays(8), -1001);

        Assert.Equal(["attributes.tenant", "attributes.user", "idempotencyKey", "priority", "ttlSeconds"], Fields(RequestRules.Validate(request)));
    }

    [Fact]
    public void The_kind_of_amount_must_fit_the_side_of_the_request()
    {
        Assert.Equal(["estimate"], Fields(RequestRules.Validate(Reserve(new JobUsage(1m, 0m, 0, 0, 0)))));
        Assert.Equal(["actual"], Fields(RequestRules.Validate("res-1", new CommitRequest(new LlmEstimate("gpt-4o", [], "x", 1, [])))));
        Assert.Equal(["estimate"], Fields(RequestRules.Validate(Reserve(null!))));
    }

    [Fact]
    public void Priced_amounts_are_bounded_like_stated_ones()
    {
        var errors = new RequestErrors();
        RequestRules.PricedAmount(new Amount(1_000_000_000_000.000001m, 0, 1), "jobUsage", errors);
        RequestRules.PricedAmount(new Amount(1m, 1_000_000_000_000_001, 1), "llmUsage", errors);
        RequestRules.PricedAmount(new Amount(1_000_000_000_000m, 1_000_000_000_000_000, 1), "llm", errors);

        Assert.Equal(["jobUsage", "llmUsage"], Fields(errors));
    }

    [Fact]
    public void A_fingerprint_does_not_depend_on_how_numbers_and_times_were_written()
    {
        var attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("user", "alice")]);
        var paris = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(
            RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.0m, 10, 1)), paris),
            RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.00m, 10, 1)), paris.ToUniversalTime()));
        Assert.NotEqual(
            RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.0m, 10, 1)), paris),
            RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.01m, 10, 1)), paris));
    }

    [Fact]
    public void Budget_definitions_report_every_broken_rule()
    {
        var definition = new BudgetDefinition("b b", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("colour", "red")]),
            new PeriodSpec(PeriodType.Daily, "Mars/Olympus"), new Limits(null, null, null), new Thresholds(0.5m, 0.4m, 11m), EnforcementMode.Hard, "bad model!");

        Assert.Equal(["budgetId", "enforcement.downgradeTo", "limits", "period.timezone", "scope.colour", "thresholds.block"],
            Fields(BudgetRules.Validate(definition)));
    }
}
