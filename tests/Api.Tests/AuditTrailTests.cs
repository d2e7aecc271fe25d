using System.Net;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>GET /v1/tenants/{tenant}/events: the audit trail of changes, with their actors, filtered and paged.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class AuditTrailTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Every_change_is_an_event_with_the_key_that_made_it_oldest_first()
    {
        var tenant = await host.NewTenantAsync("audit");
        var (ownerId, ownerKey) = await IssueAsync(tenant, "tenant-admin", "owner");
        (await _api.PutAsync(tenant.Path("/budgets/team"), ownerKey,
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100 } }""")).Expect(HttpStatusCode.Created);
        (await _api.PutAsync(tenant.Path("/budgets/team"), ownerKey,
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 150 } }""")).Expect(HttpStatusCode.OK);
        var (doomedId, _) = await IssueAsync(tenant, "service", "doomed");
        (await _api.DeleteAsync(tenant.Path($"/keys/{doomedId}"), ownerKey)).Expect(HttpStatusCode.NoContent);
        (await _api.DeleteAsync(tenant.Path("/budgets/team"), ownerKey)).Expect(HttpStatusCode.NoContent);

        var events = await AllEventsAsync(tenant, ownerKey, "");

        // The fixture made the tenant and two keys with the admin key; the admin issued the owner's key
        // and the doomed one, and the owner made the rest.
        Assert.Equal(
            ["tenant.updated", "key.created", "key.created", "key.created", "budget.created", "budget.updated", "key.created", "key.revoked", "budget.deleted"],
            events.Select(e => e.Str("type")));
        Assert.Equal(["admin", "admin", "admin", "admin", ownerId, ownerId, "admin", ownerId, ownerId], events.Select(e => e.Str("actor")));
        Assert.Equal("created", events[0].Str("data.change"));
        Assert.Equal(ownerId, events[3].Str("data.keyId"));
        Assert.Equal("tenant-admin", events[3].Str("data.role"));
        Assert.Equal("team", events[4].Str("budgetId"));
        Assert.Equal(100m, events[4].Dec("data.definition.limits.cost"));
        Assert.Equal(150m, events[5].Dec("data.definition.limits.cost"));
        Assert.Equal(doomedId, events[7].Str("data.keyId"));
        Assert.Equal("team", events[8].Str("budgetId"));

        var ids = events.Select(e => long.Parse(e.Str("id"))).ToList();
        Assert.Equal(ids.Order(), ids);
        var times = events.Select(e => e.Time("at")).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public async Task Filters_by_budget_type_and_time_and_pages_without_gaps_or_repeats()
    {
        var tenant = await host.NewTenantAsync("audit-pages");
        for (var i = 0; i < 7; i++)
        {
            await tenant.CreateCostBudgetAsync($"b{i}", 10 + i);
            (await _api.PutAsync(tenant.Path($"/budgets/b{i}"), tenant.TenantAdminKey,
                $$"""{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": {{20 + i}} } }""")).Expect(HttpStatusCode.OK);
        }

        var all = await AllEventsAsync(tenant, tenant.TenantAdminKey, "");
        var paged = await AllEventsAsync(tenant, tenant.TenantAdminKey, "", pageSize: 3);
        Assert.Equal(all.Select(e => e.Str("id")), paged.Select(e => e.Str("id")));

        var ofB3 = await AllEventsAsync(tenant, tenant.TenantAdminKey, "&budget=b3");
        Assert.Equal(["budget.created", "budget.updated"], ofB3.Select(e => e.Str("type")));

        var updates = await AllEventsAsync(tenant, tenant.TenantAdminKey, "&type=budget.updated", pageSize: 2);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"b{i}"), updates.Select(e => e.Str("budgetId")));

        var middle = all.First(e => e.Str("type") == "budget.created" && e.Str("budgetId") == "b4").Time("at");
        var since = await AllEventsAsync(tenant, tenant.TenantAdminKey, "&since=" + Uri.EscapeDataString(middle.ToString("O")));
        Assert.Equal(all.Where(e => e.Time("at") >= middle).Select(e => e.Str("id")), since.Select(e => e.Str("id")));
        var until = await AllEventsAsync(tenant, tenant.TenantAdminKey, "&until=" + Uri.EscapeDataString(middle.ToString("O")));
        Assert.Equal(all.Where(e => e.Time("at") < middle).Select(e => e.Str("id")), until.Select(e => e.Str("id")));
    }

    [Fact]
    public async Task A_page_cursor_sees_events_stored_after_it_was_handed_out()
    {
        var tenant = await host.NewTenantAsync("audit-tail");
        var first = (await _api.GetAsync(tenant.Path("/events?limit=1000"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        var seen = first.Items("items");
        Assert.True(first.IsNull("next"), "the whole trail fitted in one page");

        await tenant.CreateCostBudgetAsync("later", 5);
        var cursor = seen[^1].Str("id");
        var next = (await _api.GetAsync(tenant.Path($"/events?cursor={cursor}"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(["budget.created"], next.Items("items").Select(e => e.Str("type")));
    }

    [Theory]
    [InlineData("?type=budget.exploded", "type")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?until=2026-12-01", "until")]
    [InlineData("?cursor=-5", "cursor")]
    [InlineData("?budget=no%20spaces", "budget")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string field)
    {
        var tenant = await host.NewTenantAsync("audit-bad");
        (await _api.GetAsync(tenant.Path("/events" + query), tenant.TenantAdminKey)).ExpectInvalid(field);
    }

    [Fact]
    public async Task The_trail_is_for_tenant_admins_of_its_own_tenant()
    {
        var tenant = await host.NewTenantAsync("audit-auth");
        var other = await host.NewTenantAsync("audit-other");
        (await _api.GetAsync(tenant.Path("/events"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.GetAsync(tenant.Path("/events"), other.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.GetAsync(tenant.Path("/events"), null)).ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.GetAsync("/v1/tenants/nobody-" + Guid.NewGuid().ToString("N")[..8] + "/events", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
    }

    private async Task<(string Id, string Key)> IssueAsync(TestTenant tenant, string role, string name)
    {
        var issued = (await _api.PostAsync(tenant.Path("/keys"), host.AdminKey, $$"""{ "role": "{{role}}", "name": "{{name}}" }"""))
            .Expect(HttpStatusCode.Created);
        return (issued.Str("id"), issued.Str("key"));
    }

    /// <summary>Every page of the trail (with this filter), following the cursors.</summary>
    private async Task<List<JsonElement>> AllEventsAsync(TestTenant tenant, string key, string filter, int pageSize = 1000)
    {
        var events = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = (await _api.GetAsync(tenant.Path($"/events?limit={pageSize}{filter}{(cursor is null ? "" : "&cursor=" + cursor)}"), key))
                .Expect(HttpStatusCode.OK);
            events.AddRange(page.Items("items"));
            cursor = page.IsNull("next") ? null : page.Str("next");
        }
        while (cursor is not null);

        return events;
    }
}
