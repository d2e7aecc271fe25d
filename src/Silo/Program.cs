using BudgetActors.Grains.Hosting;
using Microsoft.Extensions.Hosting;

// A silo alone: join it with more silos and with API hosts in client mode (Orleans__Mode=Client).
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddBudgetActorsSilo(builder.Configuration));
await builder.Build().RunAsync();
