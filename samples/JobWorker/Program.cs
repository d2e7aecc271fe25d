using BudgetActors;
using BudgetActors.JobWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A job worker that calls the BudgetActors cluster directly as an Orleans client: reserve, work,
// commit (or release). See samples/JobWorker/README.md.
if (WorkerOptions.Parse(args) is not { } options)
{
    return 2;
}

var builder = Host.CreateApplicationBuilder();
// Orleans logs every failed connection attempt with a stack trace; this program says what went wrong itself.
builder.Logging.SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Orleans", LogLevel.Error)
    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
builder.UseOrleansClient(client => client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId));
using var host = builder.Build();

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // finish (or release) the job under way, then stop
    stop.Cancel();
};

Console.WriteLine($"connecting to the cluster '{options.ClusterId}' through the gateway on 127.0.0.1:{options.GatewayPort}");
try
{
    // The client keeps trying to reach a gateway until it is told to give up.
    using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
    await host.StartAsync(connectTimeout.Token);
}
catch (Exception e)
{
    Console.Error.WriteLine($"cannot reach the cluster ({e.GetType().Name}: {e.Message})");
    Console.Error.WriteLine("is the API host (or a silo) running, with the same gateway port, cluster id and service id?");
    return 1;
}

var admission = host.Services.GetRequiredService<IClusterClient>().GetGrain<IAdmissionGrain>(0);
var runner = new JobRunner(admission, options);
Console.WriteLine($"tenant {options.Tenant}, user {options.User}, queue {options.Queue}: {options.Jobs} jobs, " +
    $"estimate {Printer.Money(options.EstimateCost)} each, run id {options.RunId}");

var exitCode = 0;
try
{
    await runner.RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("stopped by the user");
}
catch (BudgetActorsException e)
{
    Console.Error.WriteLine($"the cluster refused: {e.Kind}: {e.Message}");
    exitCode = 1;
}
catch (Exception e)
{
    // Holds of the job under way (if any) free themselves when their ttl runs out.
    Console.Error.WriteLine($"the worker failed: {e.GetType().Name}: {e.Message}");
    exitCode = 1;
}

Console.WriteLine();
Console.WriteLine($"done: {runner.Committed} committed, {runner.Released} released, {runner.Refused} refused; charged {Printer.Money(runner.ChargedCost)} in all");
if (exitCode == 0)
{
    foreach (var budget in await runner.CurrentBudgetsAsync())
    {
        Console.WriteLine($"  {Printer.Budget(budget)}");
    }
}

await host.StopAsync();
return exitCode;
