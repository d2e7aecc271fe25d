using BudgetActors.ApiHost.Auth;
using BudgetActors.ApiHost.Cluster;
using BudgetActors.ApiHost.Endpoints;
using BudgetActors.ApiHost.Http;
using BudgetActors.ApiHost.Telemetry;
using BudgetActors.Grains.Hosting;
using Microsoft.AspNetCore.Authentication;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(args);

// Embedded default: co-host a silo. Orleans__Mode=Client joins a running cluster instead.
var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new();
if (cluster.Mode == OrleansMode.Client)
{
    builder.UseOrleansClient(client => client.AddBudgetActorsClient(builder.Configuration));

    // A lost gateway connection gives up the calls under way through it at once (ClusterRetry sends them again).
    builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<GatewayLoss>());
}
else
{
    builder.UseOrleans(silo => silo.AddBudgetActorsSilo(builder.Configuration));
}

builder.Services.Configure<ClusterSettings>(builder.Configuration.GetSection(ClusterSettings.Section));
builder.Services.AddSingleton<GatewayLoss>();
builder.Services.AddSingleton<ClusterRetry>();
builder.AddApiTelemetry(); // GET /metrics, and OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes);
builder.Services.ConfigureHttpJsonOptions(json =>
{
    ApiJson.Configure(json.SerializerOptions);
    json.SerializerOptions.Converters.Add(new NormalizedDecimalConverter());
});
builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemDefaults.FillDetail);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.Configure<AuthSettings>(builder.Configuration.GetSection(AuthSettings.Section));
builder.Services.AddSingleton<AdminKey>();
builder.Services.AddSingleton<VerifiedKeys>();
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("admin", policy => policy.RequireClaim(Caller.RoleClaim, nameof(BudgetActors.ApiKeyRole.Admin)));

var app = builder.Build();
app.Services.GetRequiredService<AdminKey>(); // log a generated admin key at start, not at first use

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi();
app.MapHealthEndpoints();
app.MapMetricsEndpoint();
app.MapUiEndpoints(); // the web dashboard's static files at /ui
if (app.Configuration.GetValue("Dashboard:Enabled", true))
{
    app.MapOrleansDashboard("/dashboard").RequireAuthorization("admin");
}

var v1 = app.MapGroup("/v1").AddEndpointFilter<CallerFilter>();
v1.MapTenantEndpoints().MapBudgetEndpoints().MapAdmissionEndpoints().MapCostModelEndpoints().MapPricingEndpoints()
    .MapAuditEndpoints().MapOverrideEndpoints().MapAlertEndpoints().MapTierEndpoints().MapReportEndpoints();

app.Run();

/// <summary>Visible to the HTTP tests, which start the real host on a real port.</summary>
public partial class Program;
