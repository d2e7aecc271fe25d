using System.Net;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>Tiers over HTTP, against the real host: templates, the default tier, assignments, budgets made on first use.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class TierTests(ApiHostFixture host)
{
    private const string Free = """
        { "subject": "user", "budgets": {
            "daily": { "period": { "type": "daily" }, "limits": { "cost": 1 } },
            "monthly": { "period": { "type": "monthly" }, "limits": { "cost": 10 }, "thresholds": { "warn": 0.5, "throttle": 0.8, "block": 1 } } } }
        """;

    private const string Pro = """{ "subject": "user", "budgets": { "daily": { "period": { "type": "daily" }, "limits": { "cost": 50 } } } }""";

    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task A_new_users_first_request_creates_its_tier_budgets_before_it_is_decided()
    {
        var tenant = await host.NewTenantAsync("tiers");
        var created = (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey, Free)).Expect(HttpStatusCode.Created);
        Assert.Equal(("free", "user"), (created.Str("id"), created.Str("subject")));
        Assert.Equal(1m, created.Dec("budgets.daily.limits.cost"));
        Assert.Equal(["free.daily.{value}", "free.monthly.{value}"], created.Strings("budgetIds"));
        var patched = (await _api.SendAsync(HttpMethod.Patch, tenant.Path(), tenant.TenantAdminKey, ApiClient.Body("""{ "defaultTier": "free" }""")))
            .Expect(HttpStatusCode.OK);
        Assert.Equal("free", patched.Str("defaultTier"));
        Assert.Equal("free", (await _api.GetAsync(tenant.Path(), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Str("defaultTier"));

        // Carol's very first request is over her daily limit: it is refused by the budget made for it.
        var check = await tenant.CheckAsync("""{ "attributes": { "user": "carol" }, "estimate": { "cost": 2 } }""");
        Assert.Equal("block", check.Str("decision"));
        Assert.Equal(["free.daily.carol"], check.Strings("blockedBy"));
        Assert.Equal(["free.daily.carol", "free.monthly.carol"], check.BudgetIds().Order());

        var usage = await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": { "user": "carol" }, "actual": { "cost": 0.25 } }""");
        Assert.Equal(0.25m, usage.Budget("free.daily.carol").Dec("cost.spent"));
        var budget = await tenant.GetBudgetAsync("free.daily.carol");
        Assert.Equal(("free", "carol"), (budget.Str("tier"), budget.Str("scope.user")));
        Assert.Equal(0.25m, budget.Dec("status.cost.spent"));

        var subject = (await _api.GetAsync(tenant.Path("/subjects/user/carol"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(("free", false), (subject.Str("tier"), subject.Bool("assigned")));
        Assert.Equal(["free.daily.carol", "free.monthly.carol"], subject.Strings("budgets"));

        var events = (await _api.GetAsync(tenant.Path("/events?type=budget.instantiated"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["free.daily.carol", "free.monthly.carol"], events.Items("items").Select(e => e.Str("budgetId")).Order());
        Assert.Single((await _api.GetAsync(tenant.Path("/events?type=tier.updated"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items"));
    }

    [Fact]
    public async Task Concurrent_first_reservations_over_http_make_one_set_of_budgets_and_grant_exactly_what_fits()
    {
        var tenant = await host.NewTenantAsync("tiers-burst");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey, Free)).Expect(HttpStatusCode.Created);
        (await _api.SendAsync(HttpMethod.Patch, tenant.Path(), tenant.TenantAdminKey, ApiClient.Body("""{ "defaultTier": "free" }"""))).Expect(HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            tenant.ReserveAsync($$"""{ "idempotencyKey": "r{{i}}", "attributes": { "user": "dave" }, "estimate": { "cost": 0.1 } }"""))));

        Assert.Equal(10, answers.Count(a => a.Bool("granted")));
        Assert.All(answers, a => Assert.Equal(["free.daily.dave", "free.monthly.dave"], a.BudgetIds().Order()));
        Assert.Equal(1m, (await tenant.UseOfAsync("free.daily.dave")).CostReserved);
        var budgets = (await _api.GetAsync(tenant.Path("/budgets"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items");
        Assert.Equal(["free.daily.dave", "free.monthly.dave"], budgets.Select(b => b.Str("id")));
    }

    [Fact]
    public async Task Assigned_subjects_swap_budgets_and_are_listed_on_their_tier_page_by_page()
    {
        var tenant = await host.NewTenantAsync("tiers-assign");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey, Free)).Expect(HttpStatusCode.Created);
        (await _api.PutAsync(tenant.Path("/tiers/pro"), tenant.TenantAdminKey, Pro)).Expect(HttpStatusCode.Created);
        (await _api.SendAsync(HttpMethod.Patch, tenant.Path(), tenant.TenantAdminKey, ApiClient.Body("""{ "defaultTier": "free" }"""))).Expect(HttpStatusCode.OK);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "u1", "attributes": { "user": "alice" }, "actual": { "cost": 1 } }""");

        var assigned = (await _api.PutAsync(tenant.Path("/subjects/user/alice"), tenant.TenantAdminKey, """{ "tier": "pro" }""")).Expect(HttpStatusCode.Created);
        Assert.Equal(("pro", true), (assigned.Str("tier"), assigned.Bool("assigned")));
        Assert.Equal(["pro.daily.alice"], assigned.Strings("budgets"));
        (await _api.PutAsync(tenant.Path("/subjects/user/alice"), tenant.TenantAdminKey, """{ "tier": "pro" }""")).Expect(HttpStatusCode.OK);
        (await _api.GetAsync(tenant.Path("/budgets/free.daily.alice"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Single((await _api.GetAsync(tenant.Path("/budgets/free.daily.alice/history"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
        Assert.Equal("allow", (await tenant.CheckAsync("""{ "attributes": { "user": "alice" }, "estimate": { "cost": 5 } }""")).Str("decision"));

        foreach (var user in new[] { "bob", "b/c+d", "carol" })
        {
            (await _api.PutAsync(tenant.Path($"/subjects/user/{Uri.EscapeDataString(user)}"), tenant.TenantAdminKey, """{ "tier": "pro" }""")).Expect(HttpStatusCode.Created);
        }

        await tenant.CheckAsync("""{ "attributes": { "user": "b/c+d" }, "estimate": { "cost": 1 } }""");
        Assert.Equal("pro.daily.b_sc_pd", (await tenant.GetBudgetAsync("pro.daily.b_sc_pd")).Str("id"));

        var first = (await _api.GetAsync(tenant.Path("/tiers/pro/subjects?limit=2"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["alice", "b/c+d"], first.Items("items").Select(s => s.Str("id")));
        var second = (await _api.GetAsync(tenant.Path($"/tiers/pro/subjects?limit=2&cursor={first.Str("next")}"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["bob", "carol"], second.Items("items").Select(s => s.Str("id")));
        Assert.True(second.IsNull("next"));

        // Back to the default tier; the tier in use cannot go, nor can its budgets be edited by hand.
        (await _api.DeleteAsync(tenant.Path("/subjects/user/alice"), tenant.TenantAdminKey)).ExpectStatus(HttpStatusCode.NoContent);
        Assert.Equal("free", (await _api.GetAsync(tenant.Path("/subjects/user/alice"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Str("tier"));
        (await _api.DeleteAsync(tenant.Path("/tiers/pro"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Conflict);
        (await _api.DeleteAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Conflict);
        (await _api.DeleteAsync(tenant.Path("/budgets/free.daily.alice"), tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(["free", "pro"], (await _api.GetAsync(tenant.Path("/tiers"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items").Select(t => t.Str("id")));
    }

    [Fact]
    public async Task Bad_tiers_assignments_and_patches_are_refused_with_every_field_named_and_change_nothing()
    {
        var tenant = await host.NewTenantAsync("tiers-bad");
        (await _api.PutAsync(tenant.Path("/tiers/free.v2"), tenant.TenantAdminKey, Free)).ExpectInvalid("tier");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey,
            """{ "subject": "tenant", "budgets": { "da.ily": { "period": { "type": "daily" }, "limits": { "cost": 1 } }, "x": { "scope": { "user": "a" }, "period": { "type": "hourly" }, "limits": { "cost": -1 } } } }"""))
            .ExpectInvalid("subject", "budgets.da.ily", "budgets.x.scope", "budgets.x.period.type", "budgets.x.limits.cost");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey, """{ "subject": "user" }""")).ExpectInvalid("budgets");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.TenantAdminKey, """{ "subject": "user", "budgets": {}, "extra": 1 }""")).ExpectInvalid("extra");
        (await _api.PutAsync(tenant.Path("/subjects/user/alice"), tenant.TenantAdminKey, """{ "tier": "nope" }""")).ExpectInvalid("tier");
        (await _api.PutAsync(tenant.Path("/subjects/tenant/alice"), tenant.TenantAdminKey, """{ "tier": "free" }""")).ExpectInvalid("subject");
        (await _api.SendAsync(HttpMethod.Patch, tenant.Path(), tenant.TenantAdminKey, ApiClient.Body("""{ "defaultTier": "nope" }"""))).ExpectInvalid("defaultTier");
        (await _api.SendAsync(HttpMethod.Patch, tenant.Path(), tenant.TenantAdminKey, ApiClient.Body("{}"))).ExpectInvalid("defaultTier");
        (await _api.GetAsync(tenant.Path("/tiers/free"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(tenant.Path("/tiers/free/subjects"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.GetAsync(tenant.Path("/tiers/free/subjects?cursor=%25"), tenant.ServiceKey)).ExpectInvalid("cursor");
        (await _api.PutAsync(tenant.Path("/tiers/free"), tenant.ServiceKey, Free)).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Empty((await _api.GetAsync(tenant.Path("/tiers"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items"));
        Assert.Empty((await _api.GetAsync(tenant.Path("/events?type=tier.updated"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK).Items("items"));
        Assert.True((await _api.GetAsync(tenant.Path(), tenant.ServiceKey)).Expect(HttpStatusCode.OK).TryGetProperty("defaultTier", out _) is false);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_tier_endpoint()
    {
        var document = (await _api.GetAsync("/openapi/v1.json", key: null)).Expect(HttpStatusCode.OK);
        var paths = document.At("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).ToHashSet());
        (string Path, string Method)[] expected =
        [
            ("/v1/tenants/{tenant}", "patch"),
            ("/v1/tenants/{tenant}/tiers", "get"),
            ("/v1/tenants/{tenant}/tiers/{tier}", "put"),
            ("/v1/tenants/{tenant}/tiers/{tier}", "get"),
            ("/v1/tenants/{tenant}/tiers/{tier}", "delete"),
            ("/v1/tenants/{tenant}/tiers/{tier}/subjects", "get"),
            ("/v1/tenants/{tenant}/subjects/{subject}/{id}", "put"),
            ("/v1/tenants/{tenant}/subjects/{subject}/{id}", "get"),
            ("/v1/tenants/{tenant}/subjects/{subject}/{id}", "delete"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetValue(path, out var methods) && methods.Contains(method), $"The OpenAPI document lacks {method.ToUpperInvariant()} {path}");
        }
    }
}
