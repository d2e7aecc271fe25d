using BudgetActors.Grains.Hosting;
using BudgetActors.Grains.Telemetry;
using Microsoft.Extensions.Hosting;

// A silo alone: join it with more silos and with API hosts in client mode (Orleans__Mode=Client).
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddBudgetActorsSilo(builder.Configuration));

// A silo has no HTTP port to scrape: its metrics and logs go over OTLP when an endpoint is set.
if (!string.IsNullOrWhiteSpace(builder.Configuration[TelemetryHosting.OtlpEndpointVariable]))
{
    builder.Services.AddBudgetActorsTelemetry(builder.Configuration, "budget-actors-silo");
}
await builder.Build().RunAsync();
