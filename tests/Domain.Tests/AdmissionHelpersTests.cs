using System.Collections.Immutable;
using BudgetActors.Domain;

namespace BudgetActors.Domain.Tests;

public class AdmissionHelpersTests
{
    private static BudgetVerdict Verdict(string id, Decision decision, decimal? throttle = null, string? downgrade = null) =>
        new(decision, throttle, downgrade, new BudgetStatus(id, DateTimeOffset.UnixEpoch, null, BudgetState.Ok,
            new MetricStatus(null, 0, 0, null, null), new MetricStatus(null, 0, 0, null, null), new MetricStatus(null, 0, 0, null, null)));

    [Fact]
    public void The_combined_decision_is_the_most_restrictive_and_names_every_blocking_budget()
    {
        var combined = CombinedVerdict.Of([Verdict("a", Decision.Warn), Verdict("b", Decision.Block), Verdict("c", Decision.Throttle, 0.4m), Verdict("d", Decision.Block)]);

        Assert.Equal(Decision.Block, combined.Decision);
        Assert.Equal(["b", "d"], combined.BlockedBy.ToArray());
        Assert.Null(combined.ThrottleFactor);
        Assert.Equal(4, combined.Budgets.Length);
    }

    [Fact]
    public void Throttling_takes_the_smallest_factor()
    {
        var combined = CombinedVerdict.Of([Verdict("a", Decision.Throttle, 0.8m), Verdict("b", Decision.Throttle, 0.3m), Verdict("c", Decision.Allow)]);

        Assert.Equal(Decision.Throttle, combined.Decision);
        Assert.Equal(0.3m, combined.ThrottleFactor);
    }

    [Fact]
    public void No_applicable_budget_allows()
    {
        var combined = CombinedVerdict.Of([]);

        Assert.Equal(Decision.Allow, combined.Decision);
        Assert.Empty(combined.BlockedBy);
    }

    [Fact]
    public void Idempotency_keys_map_to_stable_ids_and_bodies_to_stable_fingerprints()
    {
        Assert.Equal(RequestIdentity.ReservationId("k1"), RequestIdentity.ReservationId("k1"));
        Assert.NotEqual(RequestIdentity.ReservationId("k1"), RequestIdentity.ReservationId("k2"));
        Assert.NotEqual(RequestIdentity.ReservationId(null), RequestIdentity.ReservationId(null));
        Assert.Matches("^res-[0-9a-f]{32}$", RequestIdentity.ReservationId("k1"));

        var attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("user", "alice")]);
        var a = RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.5m, 10, 1)), TimeSpan.FromMinutes(5), 0);
        var same = RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.5m, 10, 1)), TimeSpan.FromMinutes(5), 0);
        var other = RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.6m, 10, 1)), TimeSpan.FromMinutes(5), 0);
        Assert.Equal(a, same);
        Assert.NotEqual(a, other);
    }
}

public class RequestIdentityFormatTests
{
    // Ids and fingerprints are stored in the ledger: a retry after an upgrade must find the same ones,
    // so their exact values are part of the format. These are the values every version has written.
    [Fact]
    public void Ids_and_fingerprints_keep_the_values_already_stored()
    {
        var attributes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            [KeyValuePair.Create("user", "alice"), KeyValuePair.Create("model", "gpt-4o"), KeyValuePair.Create("team", "ünïcode ✓")]);

        Assert.Equal("res-241bb94a77f68f7fb94578219af4dcf1", RequestIdentity.ReservationId("order-42"));
        Assert.Equal("use-51cf2dc2a9d798d4dc5f86c8f8bd580b", RequestIdentity.UsageId("order-42/usage ✓"));
        Assert.Equal("163a260f8031faff3188bb34d6fad5fc5c99d69cfbdd9ef5dc5729de1d900efa", RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(1.50m, 10, 1)), TimeSpan.FromMinutes(5), 0));
        Assert.Equal("2c099915aae79709dd3282359416ef8dc7c841d6b584e5d346d81ee416118d25", RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(0.120m, 0, 1)),
            new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal("70603444e8353c85c193593698edf6127974a031b92fddaf3a266b68747fb257", RequestIdentity.Fingerprint(attributes, new ExplicitAmount(new Amount(0.120m, 0, 1)), null));
    }
}
