using System.CommandLine;
using BudgetActors.Cli.Http;

namespace BudgetActors.Cli.Commands;

/// <summary>Runs a command's body with its context and turns every failure into its exit code and message.</summary>
public static class Run
{
    public static void Action(this Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancel) =>
        {
            try
            {
                using var context = CliOptions.Context(parse);
                return await body(parse, context, cancel);
            }
            catch (CliException e)
            {
                Report(e);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        });

    public static void Action(this Command command, Func<ParseResult, CliContext, Task> body) =>
        command.Action(async (parse, context, _) =>
        {
            await body(parse, context);
            return ExitCodes.Ok;
        });

    /// <summary>The problem's detail on stderr, then one line per field error.</summary>
    public static void Report(CliException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        foreach (var (field, messages) in e.Errors)
        {
            foreach (var message in messages)
            {
                Console.Error.WriteLine($"  {field}: {message}");
            }
        }
    }
}
