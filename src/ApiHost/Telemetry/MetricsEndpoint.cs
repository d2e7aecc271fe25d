using BudgetActors.Grains.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace BudgetActors.ApiHost.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text format of OpenTelemetry's exporter, for the admin key
/// (or anyone with <c>Metrics__AllowAnonymous=true</c>). The API host collects what happens in its
/// process: with the co-hosted silo (the default) that is everything; as a client of a cluster it is
/// its own HTTP door, and each silo exports its own over OTLP.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Meters, ASP.NET Core's request metrics, the Prometheus exporter, and OTLP when configured.</summary>
    public static WebApplicationBuilder AddApiTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddBudgetActorsTelemetry(builder.Configuration, "budget-actors-api", metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees now: the tests read deltas
        return builder;
    }

    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        // The exporter's own middleware on a pipeline of its own, run by a route handler of ours so
        // that the route has the host's authorization and its place in the OpenAPI document like
        // every other endpoint (the exporter's MapPrometheusScrapingEndpoint makes a bare endpoint).
        var exporter = ((IApplicationBuilder)app).New()
            .UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null)
            .Build();
        var endpoint = app.MapGet(Path, async (HttpContext context) =>
            {
                await exporter(context);
                return Results.Empty;
            })
            .Produces(StatusCodes.Status200OK, contentType: "text/plain")
            .WithSummary("Prometheus metrics (text format, through OpenTelemetry): admission decisions by decision, door and operation; check and reservation latency; charges; open holds; the ledger's group commits; alert deliveries by outcome; active budgets by state and by utilization band; the Metrics:TopBudgets most utilized budgets; Orleans, ASP.NET Core and .NET runtime metrics.")
            .WithDescription("Admin key required unless the host runs with `Metrics__AllowAnonymous=true`. Series (labels): " +
                "`budget_actors_decisions_total` (decision: allow|warn|throttle|downgrade|block, door: http|grain, operation: check|reserve); " +
                "`budget_actors_check_duration_seconds` and `budget_actors_reserve_duration_seconds` histograms (door); " +
                "`budget_actors_charged_cost_micros_total` (kind: usage|commit; whole micro-units, 1,000,000 = 1.00, of each tenant's own currency) and `budget_actors_charged_tokens_total` (kind); " +
                "`budget_actors_holds_open` (holds of granted reservations on the budgets active in the process; one per budget held); " +
                "`budget_actors_ledger_batch_size` and `budget_actors_ledger_commit_duration_seconds` histograms (PostgreSQL ledger only); " +
                "`budget_actors_alert_deliveries_total` (outcome: delivered|retry|failed, channel: webhook|slack|email|in-app|unknown); " +
                "`budget_actors_budgets_active` (state: ok|warning|throttled|blocked); " +
                "`budget_actors_budgets_by_utilization` (le: 0.25|0.5|0.75|0.9|1|1.1|1.5|+Inf, cumulative counts of active budgets); " +
                "`budget_actors_budget_utilization` (tenant, budget: at most Metrics:TopBudgets series per silo, default 10). " +
                "The budget gauges are counted at scrape time in processes that run a silo. With OTEL_EXPORTER_OTLP_ENDPOINT set the same metrics, and the logs, are also exported over OTLP.");
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.AllowAnonymous)
        {
            endpoint.AllowAnonymous();
        }
        else
        {
            endpoint.RequireAuthorization("admin");
        }

        return app;
    }
}
