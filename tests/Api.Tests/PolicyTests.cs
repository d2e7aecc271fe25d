using System.Net;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>
/// Issue 10's enforcement policies over HTTP: every kind of refusal explains itself in <c>reasons</c>
/// (and a refused reservation says in <c>Retry-After</c> when to come back), grace and priority bypass
/// say why they admitted, and a timestamp from the future is refused.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class PolicyTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task A_refusal_by_a_limit_gives_the_figures_when_it_clears_and_a_Retry_After()
    {
        var tenant = await host.NewTenantAsync("why");
        await tenant.CreateBudgetAsync("alice-daily", """
            { "scope": { "user": "alice" }, "period": { "type": "daily", "timezone": "Europe/Paris" }, "limits": { "cost": 10 } }
            """);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": { "user": "alice" }, "actual": { "cost": 6.5 } }""");

        var response = await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey,
            """{ "attributes": { "user": "alice" }, "estimate": { "cost": 8 } }""");
        var refused = response.Expect(HttpStatusCode.OK);

        Assert.False(refused.GetProperty("granted").GetBoolean());
        var reason = Assert.Single(refused.Items("reasons"));
        Assert.Equal(("alice-daily", "block", "cost"), (reason.Str("budget"), reason.Str("decision"), reason.Str("metric")));
        Assert.Equal((10m, 6.5m, 0m, 8m), (reason.Dec("limit"), reason.Dec("spent"), reason.Dec("reserved"), reason.Dec("requested")));
        var clears = reason.Time("retryAfter");
        Assert.Equal(0, clears.Hour + clears.Minute); // local midnight …
        Assert.Contains(clears.Offset, new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(2) }); // … in Paris
        Assert.Matches(@"^alice-daily: 6\.50 USD spent \+ 8\.00 USD requested passes the daily cost limit of 10\.00 USD \(resets \d{4}-\d\d-\d\d 00:00 Europe/Paris\)\.$", reason.Str("message"));
        var header = Assert.Single(response.Headers.GetValues("Retry-After"));
        var seconds = long.Parse(header);
        Assert.InRange(DateTimeOffset.UtcNow.AddSeconds(seconds) - clears, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));

        var check = await tenant.CheckAsync("""{ "attributes": { "user": "alice" }, "estimate": { "cost": 8 } }""");
        Assert.Equal("block", check.Str("decision"));
        Assert.Equal("alice-daily", check.Str("reasons[0].budget"));
        Assert.Equal(6.5m, (await tenant.UseOfAsync("alice-daily")).CostSpent);
    }

    [Fact]
    public async Task A_total_budget_refuses_without_a_retry_time_and_an_allow_carries_no_reasons()
    {
        var tenant = await host.NewTenantAsync("why-total");
        await tenant.CreateBudgetAsync("pilot", """{ "scope": {}, "period": { "type": "total" }, "limits": { "tokens": 100 } }""");

        var allowed = await tenant.CheckAsync("""{ "estimate": { "tokens": 10 } }""");
        var response = await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey, """{ "estimate": { "tokens": 500 } }""");
        var refused = response.Expect(HttpStatusCode.OK);

        Assert.Equal("allow", allowed.Str("decision"));
        Assert.True(!allowed.TryGetProperty("reasons", out var none) || none.ValueKind == JsonValueKind.Null || none.GetArrayLength() == 0);
        Assert.True(refused.IsNull("reasons[0].retryAfter"));
        Assert.EndsWith("(a total budget: it does not reset).", refused.Str("reasons[0].message"));
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task A_per_request_cap_names_its_metric_and_has_no_retry_time()
    {
        var tenant = await host.NewTenantAsync("why-cap");
        await tenant.CreateBudgetAsync("query", """
            { "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100 }, "perRequest": { "cost": 2.00, "tokens": 100000 } }
            """);

        var atCap = await tenant.ReserveAsync("""{ "estimate": { "cost": 2, "tokens": 100000 } }""");
        var response = await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey, """{ "estimate": { "cost": 1, "tokens": 100001 } }""");
        var overCap = response.Expect(HttpStatusCode.OK);

        Assert.True(atCap.GetProperty("granted").GetBoolean());
        Assert.False(overCap.GetProperty("granted").GetBoolean());
        Assert.Equal(("perRequest.tokens", 100000m, 100001m), (overCap.Str("reasons[0].metric"), overCap.Dec("reasons[0].limit"), overCap.Dec("reasons[0].requested")));
        Assert.True(overCap.IsNull("reasons[0].retryAfter"));
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal(2m, (await tenant.UseOfAsync("query")).CostReserved);
    }

    [Fact]
    public async Task A_rate_limit_refusal_names_the_limit_and_when_it_clears()
    {
        var tenant = await host.NewTenantAsync("why-rate");
        await tenant.CreateBudgetAsync("api", """
            { "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 1000 }, "rateLimits": { "requestsPerMinute": 3, "tokensPerMinute": 200000 } }
            """);

        var answers = new List<ApiResponse>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await _api.PostAsync(tenant.Path("/reservations"), tenant.ServiceKey, """{ "estimate": { "cost": 1, "tokens": 10 } }"""));
        }

        Assert.All(answers.Take(3), a => Assert.True(a.Expect(HttpStatusCode.OK).GetProperty("granted").GetBoolean()));
        var refused = answers[3].Expect(HttpStatusCode.OK);
        Assert.Equal(("requestsPerMinute", 3m, 3m), (refused.Str("reasons[0].metric"), refused.Dec("reasons[0].limit"), refused.Dec("reasons[0].spent")));
        Assert.InRange(refused.Time("reasons[0].retryAfter") - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(21));
        Assert.Contains("3 of 3 requests in the last minute", refused.Str("reasons[0].message"));
        Assert.InRange(long.Parse(Assert.Single(answers[3].Headers.GetValues("Retry-After"))), 1, 21);
        Assert.Equal(3m, (await tenant.UseOfAsync("api")).CostReserved);
    }

    [Fact]
    public async Task Grace_and_priority_bypass_admit_past_the_limit_and_say_so()
    {
        var tenant = await host.NewTenantAsync("why-warn");
        await tenant.CreateBudgetAsync("grace", """
            { "scope": { "project": "a" }, "period": { "type": "monthly" }, "limits": { "cost": 10 }, "enforcement": { "gracePeriodMinutes": 30 } }
            """);
        await tenant.CreateBudgetAsync("launch", """
            { "scope": { "project": "b" }, "period": { "type": "monthly" }, "limits": { "cost": 10 },
              "enforcement": { "bypassPriority": 900, "emergencyCeiling": 1.1 } }
            """);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "ga", "attributes": { "project": "a" }, "actual": { "cost": 10 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "gb", "attributes": { "project": "b" }, "actual": { "cost": 10 } }""");

        var inGrace = await tenant.ReserveAsync("""{ "attributes": { "project": "a" }, "estimate": { "cost": 3 } }""");
        var bypass = await tenant.ReserveAsync("""{ "attributes": { "project": "b" }, "estimate": { "cost": 1 }, "priority": 900 }""");
        var pastCeiling = await tenant.ReserveAsync("""{ "attributes": { "project": "b" }, "estimate": { "cost": 0.01 }, "priority": 1000 }""");

        Assert.Equal(("warn", "grace"), (inGrace.Str("decision"), inGrace.Str("reasons[0].budget")));
        Assert.Contains("grace period until", inGrace.Str("reasons[0].message"));
        Assert.Equal("warn", bypass.Str("decision"));
        Assert.Contains("admitted for its priority, within the emergency ceiling of 11.00 USD", bypass.Str("reasons[0].message"));
        Assert.False(pastCeiling.GetProperty("granted").GetBoolean());
        Assert.Equal((10m, 1m), ((await tenant.UseOfAsync("launch")).CostSpent, (await tenant.UseOfAsync("launch")).CostReserved));
    }

    [Fact]
    public async Task Usage_from_more_than_five_minutes_ahead_is_refused_and_changes_nothing()
    {
        var tenant = await host.NewTenantAsync("late");
        await tenant.CreateCostBudgetAsync("team", 100);
        var ahead = DateTimeOffset.UtcNow.AddMinutes(6).ToString("O");
        var earlier = DateTimeOffset.UtcNow.AddSeconds(-30).ToString("O");

        (await _api.PostAsync(tenant.Path("/usage"), tenant.ServiceKey,
            $$"""{ "idempotencyKey": "f1", "attributes": {}, "actual": { "cost": 5 }, "timestamp": "{{ahead}}" }""")).ExpectInvalid("timestamp");
        await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "e1", "attributes": {}, "actual": { "cost": 2 }, "timestamp": "{{earlier}}" }""");

        Assert.Equal(2m, (await tenant.UseOfAsync("team")).CostSpent);
    }
}
