using System.CommandLine;
using BudgetActors.Cli;
using BudgetActors.Cli.Commands;
using BudgetActors.Cli.Watch;

var root = new RootCommand("budgetctl: budgets, spend, alerts and a live view over the BudgetActors HTTP API.")
{
    CliOptions.Url,
    CliOptions.Key,
    CliOptions.Tenant,
    CliOptions.Output,
};

root.Subcommands.Add(TenantCommands.Build());
root.Subcommands.Add(KeyCommands.Build());
root.Subcommands.Add(BudgetCommands.Build());
root.Subcommands.Add(SpendCommands.Usage());
root.Subcommands.Add(SpendCommands.Check());
root.Subcommands.Add(SpendCommands.Reserve());
root.Subcommands.Add(SpendCommands.Commit());
root.Subcommands.Add(SpendCommands.Release());
root.Subcommands.Add(AlertCommands.Build());
root.Subcommands.Add(OverrideCommands.Build());
root.Subcommands.Add(InsightCommands.Events());
root.Subcommands.Add(InsightCommands.Report());
root.Subcommands.Add(InsightCommands.Forecast());
root.Subcommands.Add(WatchCommand.Build());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // System.CommandLine's own exit code for a parse error is 1, which budgetctl keeps for "refused".
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'budgetctl --help' (or the command with --help) for usage.");
    return ExitCodes.BadInput;
}

return await parse.InvokeAsync();
