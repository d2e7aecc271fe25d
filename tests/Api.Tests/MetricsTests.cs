using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BudgetActors.Api.Tests.Hosting;
using BudgetActors.Api.Tests.Support;
using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BudgetActors.Api.Tests;

/// <summary><c>GET /metrics</c> on the shared host: the admin's, and documented.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class MetricsAccessTests(ApiHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Metrics_need_the_admin_key()
    {
        var tenant = await host.NewTenantAsync("metrics-keys");

        var anonymous = await _api.GetAsync("/metrics", key: null);
        anonymous.ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.GetAsync("/metrics", "bak.nobody.nothing")).ExpectProblem(HttpStatusCode.Unauthorized);
        (await _api.GetAsync("/metrics", tenant.ServiceKey)).ExpectProblem(HttpStatusCode.Forbidden);
        (await _api.GetAsync("/metrics", tenant.TenantAdminKey)).ExpectProblem(HttpStatusCode.Forbidden);

        var scrape = await _api.GetAsync("/metrics", host.AdminKey);
        scrape.ExpectStatus(HttpStatusCode.OK);
        Assert.Equal("text/plain", scrape.MediaType);
        Assert.Contains("# TYPE budget_actors_budgets_active gauge", scrape.Text);
        Assert.Contains("# TYPE budget_actors_budgets_by_utilization gauge", scrape.Text);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_metrics_and_their_labels()
    {
        var document = (await _api.GetAsync("/openapi/v1.json", key: null)).Expect(HttpStatusCode.OK);
        var get = document.GetProperty("paths").GetProperty("/metrics").GetProperty("get");
        Assert.Contains("Prometheus", get.Str("summary"));
        var description = get.Str("description");
        foreach (var series in new[]
                 {
                     "budget_actors_decisions_total", "budget_actors_check_duration_seconds", "budget_actors_reserve_duration_seconds",
                     "budget_actors_charged_cost_micros_total", "budget_actors_charged_tokens_total", "budget_actors_holds_open",
                     "budget_actors_ledger_batch_size", "budget_actors_ledger_commit_duration_seconds", "budget_actors_alert_deliveries_total",
                     "budget_actors_budgets_active", "budget_actors_budgets_by_utilization", "budget_actors_budget_utilization",
                     "Metrics__AllowAnonymous",
                 })
        {
            Assert.Contains(series, description);
        }
    }
}

/// <summary>A host of the metrics tests' own, so that nothing but them moves its counters; open metrics, three top budgets.</summary>
public sealed class MetricsHostFixture : ApiHostFixture
{
    public const int TopBudgets = 3;

    protected override IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Metrics__AllowAnonymous"] = "true",
        ["Metrics__TopBudgets"] = TopBudgets.ToString(CultureInfo.InvariantCulture),
    };
}

[CollectionDefinition(Name)]
public sealed class MetricsHostCollection : ICollectionFixture<MetricsHostFixture>
{
    public const string Name = "Metrics host process";
}

/// <summary>The documented series move by exactly what the requests did, scraped over HTTP from a real host process.</summary>
[Collection(MetricsHostCollection.Name)]
public sealed class MetricsTests(MetricsHostFixture host)
{
    private readonly ApiClient _api = host.Api;

    [Fact]
    public async Task Refused_checks_count_as_block_and_admitted_ones_as_allow()
    {
        var tenant = await host.NewTenantAsync("m-check");
        await tenant.CreateCostBudgetAsync("cap", 100m);
        await tenant.RecordUsageAsync("""{ "idempotencyKey": "seed", "attributes": {}, "actual": { "cost": 10 } }""");
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("block", (await tenant.CheckAsync("""{ "attributes": {}, "estimate": { "cost": 200 } }""")).Str("decision"));
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("allow", (await tenant.CheckAsync("""{ "attributes": {}, "estimate": { "cost": 1 } }""")).Str("decision"));
        }

        (await _api.PostAsync(tenant.Path("/check"), tenant.ServiceKey, """{ "attributes": {}, "estimate": { "cost": -1 } }""")).ExpectInvalid("estimate.cost");

        var after = await ScrapeAsync();
        Assert.Equal(3, after.Delta(before, "budget_actors_decisions_total", ("decision", "block"), ("door", "http"), ("operation", "check")));
        Assert.Equal(2, after.Delta(before, "budget_actors_decisions_total", ("decision", "allow"), ("door", "http"), ("operation", "check")));
        Assert.Equal(5, after.Delta(before, "budget_actors_decisions_total"));
        Assert.Equal(5, after.Delta(before, "budget_actors_check_duration_seconds_count", ("door", "http")));
        Assert.Equal(5, after.Delta(before, "budget_actors_check_duration_seconds_bucket", ("door", "http"), ("le", "+Inf")));
    }

    [Fact]
    public async Task Holds_go_up_with_granted_reservations_and_down_with_commit_and_release()
    {
        var tenant = await host.NewTenantAsync("m-holds");
        await tenant.CreateCostBudgetAsync("all", 100m);
        await tenant.CreateCostBudgetAsync("alice", 50m, """{ "user": "alice" }""");
        var before = await ScrapeAsync();

        // Each reservation holds on both budgets that apply.
        var first = (await tenant.ReserveAsync("""{ "idempotencyKey": "r1", "attributes": { "user": "alice" }, "estimate": { "cost": 5 } }""")).Str("reservationId");
        var second = (await tenant.ReserveAsync("""{ "idempotencyKey": "r2", "attributes": { "user": "alice" }, "estimate": { "cost": 5 } }""")).Str("reservationId");
        var held = await ScrapeAsync();
        Assert.Equal(4, held.Delta(before, "budget_actors_holds_open"));
        Assert.Equal(2, held.Delta(before, "budget_actors_decisions_total", ("decision", "allow"), ("door", "http"), ("operation", "reserve")));
        Assert.Equal(2, held.Delta(before, "budget_actors_reserve_duration_seconds_count", ("door", "http")));

        // Refused: nothing held, one block.
        var refused = await tenant.ReserveAsync("""{ "idempotencyKey": "r3", "attributes": { "user": "alice" }, "estimate": { "cost": 500 } }""");
        Assert.False(refused.Bool("granted"));
        var afterRefusal = await ScrapeAsync();
        Assert.Equal(0, afterRefusal.Delta(held, "budget_actors_holds_open"));
        Assert.Equal(1, afterRefusal.Delta(held, "budget_actors_decisions_total", ("decision", "block"), ("operation", "reserve")));

        await tenant.CommitAsync(first, """{ "actual": { "cost": 3.25, "tokens": 40 } }""");
        var committed = await ScrapeAsync();
        Assert.Equal(2, committed.Delta(before, "budget_actors_holds_open"));
        Assert.Equal(3_250_000, committed.Delta(before, "budget_actors_charged_cost_micros_total", ("kind", "commit")));
        Assert.Equal(40, committed.Delta(before, "budget_actors_charged_tokens_total", ("kind", "commit")));

        // A second commit of the same reservation charges nothing more.
        await tenant.CommitAsync(first, """{ "actual": { "cost": 3.25, "tokens": 40 } }""");
        await tenant.ReleaseAsync(second);
        var released = await ScrapeAsync();
        Assert.Equal(0, released.Delta(before, "budget_actors_holds_open"));
        Assert.Equal(3_250_000, released.Delta(before, "budget_actors_charged_cost_micros_total", ("kind", "commit")));
    }

    [Fact]
    public async Task Usage_is_charged_once_per_idempotency_key()
    {
        var tenant = await host.NewTenantAsync("m-usage");
        await tenant.CreateCostBudgetAsync("all", 1000m);
        await tenant.CreateCostBudgetAsync("bob", 1000m, """{ "user": "bob" }""");
        var before = await ScrapeAsync();

        const string usage = """{ "idempotencyKey": "u1", "attributes": { "user": "bob" }, "actual": { "cost": 1.25, "tokens": 300 } }""";
        Assert.False((await tenant.RecordUsageAsync(usage)).Bool("duplicate"));
        Assert.True((await tenant.RecordUsageAsync(usage)).Bool("duplicate"));

        var after = await ScrapeAsync();
        Assert.Equal(1_250_000, after.Delta(before, "budget_actors_charged_cost_micros_total", ("kind", "usage"))); // once, though two budgets apply
        Assert.Equal(300, after.Delta(before, "budget_actors_charged_tokens_total", ("kind", "usage")));
        Assert.Equal(0, after.Delta(before, "budget_actors_charged_cost_micros_total", ("kind", "commit")));
    }

    [Fact]
    public async Task Budget_gauges_count_states_and_bands_and_name_only_the_most_utilized()
    {
        var tenant = await host.NewTenantAsync("m-util");
        var before = await ScrapeAsync();

        // Utilizations 1.4, 1.3, 1.2, 1.1: past every other test's budgets here (spend that happened is never refused).
        var spends = new[] { 140, 130, 120, 110 };
        for (var i = 0; i < spends.Length; i++)
        {
            await tenant.CreateCostBudgetAsync($"u{i}", 100m, $$"""{ "user": "u{{i}}" }""");
            await tenant.RecordUsageAsync($$"""{ "idempotencyKey": "spend-{{i}}", "attributes": { "user": "u{{i}}" }, "actual": { "cost": {{spends[i]}} } }""");
        }

        var after = await ScrapeAsync();
        Assert.Equal(4, after.Delta(before, "budget_actors_budgets_active"));
        Assert.Equal(4, after.Delta(before, "budget_actors_budgets_active", ("state", "blocked")));
        Assert.Equal(4, after.Delta(before, "budget_actors_budgets_by_utilization", ("le", "+Inf")));
        Assert.Equal(4, after.Delta(before, "budget_actors_budgets_by_utilization", ("le", "1.5")));
        Assert.Equal(1, after.Delta(before, "budget_actors_budgets_by_utilization", ("le", "1.1")));
        Assert.Equal(0, after.Delta(before, "budget_actors_budgets_by_utilization", ("le", "1")));

        // At most Metrics:TopBudgets series, the most utilized first: u3 (1.1) is left out.
        var top = after.Series("budget_actors_budget_utilization");
        Assert.Equal(MetricsHostFixture.TopBudgets, top.Count);
        Assert.All(top, s => Assert.Equal(tenant.Id, s.Labels["tenant"]));
        Assert.Equal(
            [("u0", 1.4), ("u1", 1.3), ("u2", 1.2)],
            top.OrderByDescending(s => s.Value).Select(s => (s.Labels["budget"], s.Value)));
    }

    [Fact]
    public async Task An_alert_delivered_counts_once_by_outcome_and_channel()
    {
        var tenant = await host.NewTenantAsync("m-alert");
        (await _api.PutAsync(tenant.Path("/channels/feed"), tenant.TenantAdminKey, """{ "type": "in-app" }""")).Expect(HttpStatusCode.Created);
        await tenant.CreateBudgetAsync("watched",
            """{ "scope": {}, "period": { "type": "monthly" }, "limits": { "cost": 100 }, "alerts": { "thresholds": [0.5], "channels": ["feed"] } }""");
        var before = await ScrapeAsync();

        await tenant.RecordUsageAsync("""{ "idempotencyKey": "half", "attributes": {}, "actual": { "cost": 60 } }""");

        // Delivered off the admission path, by the outbox's worker.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Scrape after;
        do
        {
            after = await ScrapeAsync();
        }
        while (after.Delta(before, "budget_actors_alert_deliveries_total") == 0 && DateTime.UtcNow < deadline);

        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more is coming: one threshold, one channel
        after = await ScrapeAsync();
        Assert.Equal(1, after.Delta(before, "budget_actors_alert_deliveries_total", ("outcome", "delivered"), ("channel", "in-app")));
        Assert.Equal(1, after.Delta(before, "budget_actors_alert_deliveries_total"));
    }

    [Fact]
    public async Task A_job_worker_check_counts_at_the_grain_door()
    {
        var tenant = await host.NewTenantAsync("m-grain");
        await tenant.CreateCostBudgetAsync("all", 100m);
        var before = await ScrapeAsync();

        // A job worker: an Orleans client of the host's co-hosted silo, through its gateway.
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:GatewayPort"] = host.Host.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = host.Host.ClusterId,
            ["Orleans:ServiceId"] = host.Host.ClusterId,
            ["Dashboard:Enabled"] = "false",
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client => client.AddBudgetActorsClient(builder.Configuration));
        using var worker = builder.Build();
        await worker.StartAsync();
        try
        {
            var admission = worker.Services.GetRequiredService<IClusterClient>().GetGrain<IAdmissionGrain>(0);
            var estimate = new ExplicitAmount(new Amount(Cost: 500m, Tokens: 0, Operations: 1));
            var answer = await admission.Check(tenant.Id, new CheckRequest(ImmutableSortedDictionary<string, string>.Empty, estimate));
            Assert.Equal(Decision.Block, answer.Decision);
        }
        finally
        {
            await worker.StopAsync();
        }

        var after = await ScrapeAsync();
        Assert.Equal(1, after.Delta(before, "budget_actors_decisions_total", ("decision", "block"), ("door", "grain"), ("operation", "check")));
        Assert.Equal(0, after.Delta(before, "budget_actors_decisions_total", ("door", "http")));
        Assert.Equal(1, after.Delta(before, "budget_actors_check_duration_seconds_count", ("door", "grain")));
    }

    [Fact]
    public async Task A_bad_metrics_setting_stops_the_host_at_start_naming_it()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiHostProcess.StartAsync("adm-bad-metrics", TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["Metrics__TopBudgets"] = "-1" }));
        Assert.Contains("Exited", failure.Message);
        Assert.Contains("Metrics:TopBudgets", failure.Message);
    }

    /// <summary>Scrapes without a key (the host allows it), after the budget gauges' census has aged out.</summary>
    private async Task<Scrape> ScrapeAsync()
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var response = await _api.GetAsync("/metrics", key: null);
        response.ExpectStatus(HttpStatusCode.OK);
        return Scrape.Parse(response.Text);
    }
}

/// <summary>One scrape in the Prometheus text format: every sample, by name and labels.</summary>
public sealed partial class Scrape
{
    private readonly List<Sample> _samples;

    private Scrape(List<Sample> samples) => _samples = samples;

    public static Scrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\"));
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new Scrape(samples);
    }

    /// <summary>The samples of <paramref name="name"/> that carry every label given.</summary>
    public IReadOnlyList<Sample> Series(string name, params (string Name, string Value)[] labels) =>
        [.. _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))];

    /// <summary>The sum of those samples; a series not there yet counts as 0.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Series(name, labels).Sum(s => s.Value);

    /// <summary>How much the sum moved since <paramref name="before"/>, rounded against float noise.</summary>
    public double Delta(Scrape before, string name, params (string Name, string Value)[] labels) =>
        Math.Round(Sum(name, labels) - before.Sum(name, labels), 9);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
