using System.Globalization;
using System.Net;
using System.Text.Json;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;

namespace BudgetActors.Api.Tests;

/// <summary>GET records, report and trend over HTTP: what they list and add up is what the ledger holds.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ReportTests(ApiHostFixture host)
{
    [Fact]
    public async Task Records_list_usage_and_commits_with_how_they_were_priced_for_each_filter()
    {
        var tenant = await host.NewTenantAsync("records");
        await tenant.CreateCostBudgetAsync("all", 1000m);
        await tenant.CreateCostBudgetAsync("alice", 1000m, """{ "user": "alice" }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "llm-1", "attributes": { "user": "alice" }, "llmUsage": { "model": "gpt-4o", "inputTokens": 900, "outputTokens": 300, "cachedInputTokens": 100 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "job-1", "attributes": { "queue": "ml", "environment": "staging" }, "jobUsage": { "cpuSeconds": 3600, "memoryMbSeconds": 2048, "payloadBytes": 51200, "ops": 25, "networkBytes": 10240 } }""");
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "plain-1", "attributes": { "user": "bob" }, "actual": { "cost": 1.5, "tokens": 10 } }""");
        var reservation = (await tenant.ReserveAsync("""{ "idempotencyKey": "res-1", "attributes": { "user": "alice" }, "estimate": { "cost": 5 } }""")).Str("reservationId");
        await tenant.CommitAsync(reservation, """{ "llmUsage": { "model": "gpt-4o-mini", "inputTokens": 1000, "outputTokens": 200, "cachedInputTokens": 0 } }""");
        var released = (await tenant.ReserveAsync("""{ "idempotencyKey": "res-2", "estimate": { "cost": 1 } }""")).Str("reservationId");
        await tenant.ReleaseAsync(released);

        var records = await RecordsAsync(tenant, "");

        Assert.Equal(["commit", "usage", "usage", "usage"], records.Select(r => r.Str("kind")));
        Assert.Equal(reservation, records[0].Str("id"));
        Assert.Equal(["alice", "all"], records[0].Strings("budgets").Order(StringComparer.Ordinal));
        Assert.Equal("gpt-4o-mini", records[0].Str("detail.model"));
        Assert.Equal(1.5m, records[1].Dec("charged.cost"));
        Assert.False(records[1].TryGetProperty("detail", out _), "a stated amount has no detail");

        var job = records[2];
        Assert.Equal(3600m, job.Dec("detail.cpuSeconds"));
        Assert.Equal(0.5m, job.Dec("detail.multiplier"));
        Assert.Equal(job.Dec("charged.cost"), job.At("detail.components").EnumerateObject().Sum(p => p.Value.GetDecimal()));

        var llm = records[3];
        Assert.Equal("user", Assert.Single(llm.At("attributes").EnumerateObject()).Name);
        Assert.Equal((800L, 100L, 300L, 0L), (llm.Long("detail.inputTokens"), llm.Long("detail.cachedInputTokens"), llm.Long("detail.outputTokens"), llm.Long("detail.reasoningTokens")));
        Assert.Equal(1200L, llm.Long("charged.tokens"));
        // gpt-4o: 800 × 2.5/M + 100 × 1.25/M + 300 × 10/M = 0.002 + 0.000125 + 0.003
        Assert.Equal((0.002m, 0.000125m, 0.003m), (llm.Dec("detail.components.input"), llm.Dec("detail.components.cachedInput"), llm.Dec("detail.components.output")));
        Assert.Equal(0.005125m, llm.Dec("charged.cost"));

        Assert.Equal([reservation, records[3].Str("id")], (await RecordsAsync(tenant, "user=alice")).Select(r => r.Str("id")));
        Assert.Equal([reservation, records[3].Str("id")], (await RecordsAsync(tenant, "budget=alice")).Select(r => r.Str("id")));
        Assert.Equal([records[2].Str("id")], (await RecordsAsync(tenant, "queue=ml")).Select(r => r.Str("id")));
        Assert.Equal([reservation], (await RecordsAsync(tenant, "model=gpt-4o-mini")).Select(r => r.Str("id")));
        Assert.Empty(await RecordsAsync(tenant, "until=2000-01-01T00:00:00Z"));
        Assert.Equal(4, (await RecordsAsync(tenant, "since=2000-01-01T00:00:00%2B01:00")).Count);

        // One a page: the same four, then no cursor.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await host.Api.GetAsync(tenant.Path($"/records?limit=1{(cursor is null ? "" : "&cursor=" + cursor)}"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);
            paged.AddRange(page.Items("items").Select(r => r.Str("id")));
            cursor = page.IsNull("next") ? null : page.Str("next");
        }
        while (cursor is not null);

        Assert.Equal(records.Select(r => r.Str("id")), paged);
    }

    [Fact]
    public async Task Report_and_trend_equal_the_records_after_a_mixed_workload_with_late_usage()
    {
        var tenant = await host.NewTenantAsync("report");
        await tenant.CreateCostBudgetAsync("all", 100_000m);
        await tenant.CreateCostBudgetAsync("ml", 100_000m, """{ "queue": "ml" }""");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var random = new Random(5);
        for (var i = 0; i < 40; i++)
        {
            var late = i % 5 == 0 ? $""", "timestamp": "{DateTimeOffset.UtcNow.AddDays(-(i % 3 + 1)):O}" """ : "";
            var user = i % 3 == 0 ? "alice" : "bob";
            var body = (i % 4) switch
            {
                0 => $$"""{ "idempotencyKey": "u-{{i}}", "attributes": { "user": "{{user}}", "model": "gpt-4o" }, "llmUsage": { "model": "gpt-4o", "inputTokens": {{random.Next(100, 90_000)}}, "outputTokens": {{random.Next(10, 9_000)}}, "cachedInputTokens": 50 }{{late}} }""",
                1 => $$"""{ "idempotencyKey": "u-{{i}}", "attributes": { "queue": "{{(i % 8 == 1 ? "ml" : "etl")}}" }, "jobUsage": { "cpuSeconds": {{random.Next(1, 90_000)}}, "memoryMbSeconds": {{random.Next(0, 900_000)}}, "ops": {{random.Next(0, 50)}} }{{late}} }""",
                2 => $$"""{ "idempotencyKey": "u-{{i}}", "attributes": { "user": "{{user}}" }, "actual": { "cost": {{(random.Next(1, 9_999_999) / 1_000_000m).ToString(CultureInfo.InvariantCulture)}} }{{late}} }""",
                _ => null,
            };
            if (body is not null)
            {
                await tenant.RecordUsageAsync(body);
                continue;
            }

            var reservation = (await tenant.ReserveAsync($$"""{ "idempotencyKey": "r-{{i}}", "attributes": { "queue": "ml", "user": "{{user}}" }, "estimate": { "cost": 50 } }""")).Str("reservationId");
            await tenant.CommitAsync(reservation, $$"""{ "jobUsage": { "cpuSeconds": {{random.Next(1, 90_000)}}, "networkBytes": {{random.Next(0, 9_000_000)}} } }""");
        }

        var records = await RecordsAsync(tenant, "limit=1000");
        Assert.Equal(40, records.Count);
        var from = today.AddDays(-3);
        var report = (await host.Api.GetAsync(tenant.Path($"/report?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}&groupBy=queue"), tenant.ServiceKey)).Expect(HttpStatusCode.OK);

        Assert.Equal(records.Sum(r => r.Dec("charged.cost")), report.Dec("total.cost"));
        Assert.Equal(records.Sum(r => r.Long("charged.tokens")), report.Long("total.tokens"));
        Assert.Equal(40L, report.Long("total.count"));
        Assert.Equal("USD", report.Str("currency"));
        var groups = report.Items("groups");
        foreach (var queue in new[] { "ml", "etl" })
        {
            var group = groups.Single(g => g.At("key").ValueKind == JsonValueKind.String && g.Str("key") == queue);
            var mine = records.Where(r => r.At("attributes").TryGetProperty("queue", out var q) && q.GetString() == queue).ToList();
            Assert.Equal(mine.Sum(r => r.Dec("charged.cost")), group.Dec("cost"));
            Assert.Equal(mine.Count, group.Long("count"));
            Assert.Equal(mine.Min(r => r.Dec("charged.cost")), group.Dec("min"));
            Assert.Equal(mine.Max(r => r.Dec("charged.cost")), group.Dec("max"));
            Assert.Equal(group.Dec("cost"), group.At("components").EnumerateObject().Sum(p => p.Value.GetDecimal()));
        }

        Assert.Equal(report.Dec("total.cost"), groups.Sum(g => g.Dec("cost")));
        Assert.True(report.Items("topDrivers").Length <= 5);
        Assert.All(report.Items("recommendations"), r => Assert.Equal(JsonValueKind.String, r.ValueKind));

        // The trend of "all": every day present, each the records whose time falls on it (the tenant is in UTC).
        var trend = (await host.Api.GetAsync(tenant.Path("/budgets/all/trend?days=5"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("days");
        Assert.Equal([.. Enumerable.Range(0, 5).Select(i => today.AddDays(i - 4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))], trend.Select(d => d.Str("date")));
        foreach (var day in trend)
        {
            var mine = records.Where(r => DateOnly.FromDateTime(r.Time("at").UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == day.Str("date")).ToList();
            Assert.Equal(mine.Sum(r => r.Dec("charged.cost")), day.Dec("cost"));
            Assert.Equal(mine.Count, day.Long("count"));
        }

        Assert.True(trend.Count(d => d.Long("count") > 0) >= 3, "late usage landed on earlier days");
        var ml = (await host.Api.GetAsync(tenant.Path("/budgets/ml/trend"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("days");
        Assert.Equal(30, ml.Length);
        Assert.Equal(records.Where(r => r.Strings("budgets").Contains("ml")).Sum(r => r.Dec("charged.cost")), ml.Sum(d => d.Dec("cost")));
    }

    [Fact]
    public async Task Bad_parameters_are_400s_unknown_budgets_404s_and_other_tenants_keys_403s()
    {
        var tenant = await host.NewTenantAsync("report-bad");
        var other = await host.NewTenantAsync("report-other");
        await tenant.CreateCostBudgetAsync("all", 10m);

        (await host.Api.GetAsync(tenant.Path("/records?cursor=abc"), tenant.ServiceKey)).ExpectInvalid("cursor");
        (await host.Api.GetAsync(tenant.Path("/records?limit=0"), tenant.ServiceKey)).ExpectInvalid("limit");
        (await host.Api.GetAsync(tenant.Path("/records?since=yesterday"), tenant.ServiceKey)).ExpectInvalid("since");
        (await host.Api.GetAsync(tenant.Path("/records?user=a%20b"), tenant.ServiceKey)).ExpectInvalid("user");
        (await host.Api.GetAsync(tenant.Path("/records?budget=nope"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await host.Api.GetAsync(tenant.Path("/report?from=2026-11-02&to=2026-11-01&groupBy=queue"), tenant.ServiceKey)).ExpectInvalid("from");
        (await host.Api.GetAsync(tenant.Path("/report?from=2025-01-01&to=2026-01-02&groupBy=queue"), tenant.ServiceKey)).ExpectInvalid("to");
        (await host.Api.GetAsync(tenant.Path("/report?from=2026-11-01&to=2026-11-02&groupBy=team"), tenant.ServiceKey)).ExpectInvalid("groupBy");
        (await host.Api.GetAsync(tenant.Path("/report?to=2026-11-02"), tenant.ServiceKey)).ExpectInvalid("from");
        (await host.Api.GetAsync(tenant.Path("/budgets/all/trend?days=0"), tenant.ServiceKey)).ExpectInvalid("days");
        (await host.Api.GetAsync(tenant.Path("/budgets/nope/trend"), tenant.ServiceKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await host.Api.GetAsync("/v1/tenants/no-such-tenant/report?from=2026-11-01&to=2026-11-02", host.AdminKey)).ExpectProblem(HttpStatusCode.NotFound);
        (await host.Api.GetAsync(tenant.Path("/records"), other.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await host.Api.GetAsync(tenant.Path("/report?from=2026-11-01&to=2026-11-02"), other.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);

        var empty = (await host.Api.GetAsync(tenant.Path("/report?from=2026-11-01&to=2026-11-02"), tenant.TenantAdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal((0m, 0L), (empty.Dec("total.cost"), empty.Long("total.count")));
        Assert.Empty(empty.Items("groups"));
        Assert.Equal(("2026-11-01", "2026-11-02"), (empty.Str("from"), empty.Str("to")));
    }

    [Fact]
    public async Task A_non_usd_tenants_detail_and_report_are_in_its_currency_and_add_up_to_the_charge()
    {
        var id = $"report-eur-{Guid.NewGuid():N}"[..24];
        (await host.Api.PostAsync("/v1/tenants", host.AdminKey, $$"""{ "id": "{{id}}", "name": "EUR", "currency": "EUR", "timezone": "Europe/Paris" }"""))
            .Expect(HttpStatusCode.Created);
        (await host.Api.PutAsync($"/v1/tenants/{id}/exchange-rate", host.AdminKey, """{ "usd": 0.92, "asOf": "2026-12-01" }""")).Expect(HttpStatusCode.OK);
        (await host.Api.PostAsync($"/v1/tenants/{id}/usage", host.AdminKey,
            """{ "idempotencyKey": "eur-1", "attributes": { "user": "alice" }, "llmUsage": { "model": "gpt-4o", "inputTokens": 333, "outputTokens": 77, "cachedInputTokens": 0 } }"""))
            .Expect(HttpStatusCode.OK);

        var record = Assert.Single((await host.Api.GetAsync($"/v1/tenants/{id}/records", host.AdminKey)).Expect(HttpStatusCode.OK).Items("items"));
        // 333 × 2.5/M + 77 × 10/M = 0.0016025 USD, × 0.92 = 0.0014743 EUR → 0.001474; the parts make it exactly.
        Assert.Equal(0.001474m, record.Dec("charged.cost"));
        Assert.Equal(0.001474m, record.At("detail.components").EnumerateObject().Sum(p => p.Value.GetDecimal()));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
        var report = (await host.Api.GetAsync($"/v1/tenants/{id}/report?from={today:yyyy-MM-dd}&to={today:yyyy-MM-dd}&groupBy=model", host.AdminKey)).Expect(HttpStatusCode.OK);
        Assert.Equal(("EUR", 0.001474m), (report.Str("currency"), report.Dec("total.cost")));
        Assert.Equal("gpt-4o", report.Items("groups")[0].Str("key"));
    }

    private async Task<List<JsonElement>> RecordsAsync(TestTenant tenant, string query) =>
        [.. (await host.Api.GetAsync(tenant.Path($"/records?{query}"), tenant.ServiceKey)).Expect(HttpStatusCode.OK).Items("items")];
}
