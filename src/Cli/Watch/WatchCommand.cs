using System.CommandLine;
using System.Threading.Channels;
using Spectre.Console;

namespace BudgetActors.Cli.Watch;

/// <summary><c>budgetctl watch</c>: the live terminal view.</summary>
public static class WatchCommand
{
    public static Command Build()
    {
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes", DefaultValueFactory = _ => 2 };
        var tab = new Option<int>("--tab") { Description = "Tab to start on (1 Overview, 2 Trends, 3 Controls, 4 Alerts)", DefaultValueFactory = _ => 1 };
        var once = new Option<bool>("--once") { Description = "Draw the tab once and exit (no keys, no live updates)" };
        var watch = new Command("watch", "Live view: 1 Overview, 2 Trends, 3 Controls, 4 Alerts; r refresh, q quit") { interval, tab, once };
        Commands.Run.Action(watch, async (parse, context, cancel) =>
        {
            if (parse.GetValue(tab) is < 1 or > 4)
            {
                throw Http.CliException.BadInput("--tab must be 1, 2, 3 or 4");
            }

            if (parse.GetValue(interval) is < 0.2 or > 3600)
            {
                throw Http.CliException.BadInput("--interval must be from 0.2 to 3600 seconds");
            }

            var model = new WatchModel(context) { Tab = (WatchTab)parse.GetValue(tab) };
            _ = model.Tenant; // no tenant: a bad-input exit now, not a view of errors
            await model.RefreshAsync(cancel);
            if (parse.GetValue(once))
            {
                AnsiConsole.Write(WatchScreen.Render(model));
                return ExitCodes.Ok;
            }

            await RunAsync(model, TimeSpan.FromSeconds(parse.GetValue(interval)), cancel);
            return ExitCodes.Ok;
        });
        return watch;
    }

    private static async Task RunAsync(WatchModel model, TimeSpan interval, CancellationToken cancel)
    {
        var keys = Channel.CreateUnbounded<ConsoleKeyInfo>();
        if (!Console.IsInputRedirected)
        {
            // Console.ReadKey blocks, so it gets a thread of its own; a background thread does not keep the process alive at quit.
            new Thread(() =>
            {
                while (true)
                {
                    keys.Writer.TryWrite(Console.ReadKey(intercept: true));
                }
            }) { IsBackground = true, Name = "budgetctl keys" }.Start();
        }

        await AnsiConsole.Live(WatchScreen.Render(model))
            .Overflow(VerticalOverflow.Crop)
            .Cropping(VerticalOverflowCropping.Bottom)
            .StartAsync(async live =>
            {
                var due = DateTime.UtcNow + interval;
                while (!model.Quit && !cancel.IsCancellationRequested)
                {
                    using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                    {
                        wait.CancelAfter(due - DateTime.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
                        try
                        {
                            await keys.Reader.WaitToReadAsync(wait.Token);
                        }
                        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                        {
                            // time to refresh
                        }
                    }

                    var refresh = DateTime.UtcNow >= due;
                    while (!model.Quit && keys.Reader.TryRead(out var key))
                    {
                        refresh |= await model.KeyAsync(key, cancel);
                        live.UpdateTarget(WatchScreen.Render(model));
                    }

                    if (refresh && !model.Quit)
                    {
                        await model.RefreshAsync(cancel);
                        due = DateTime.UtcNow + interval;
                    }

                    live.UpdateTarget(WatchScreen.Render(model));
                }
            });
    }
}
