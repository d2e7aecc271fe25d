using System.CommandLine;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Http;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>overrides request|approve|reject|list</c>: temporary raises of a budget's limits.</summary>
public static class OverrideCommands
{
    public static Command Build()
    {
        var overrides = new Command("overrides", "Overrides: request, approve, reject, list");

        var budget = new Argument<string>("budgetId");
        var cost = new Option<decimal?>("--cost") { Description = "Raise the cost limit by this much" };
        var tokens = new Option<long?>("--tokens") { Description = "Raise the token limit by this much" };
        var operations = new Option<long?>("--operations") { Description = "Raise the operations limit by this much" };
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var duration = new Option<int?>("--duration-minutes") { Description = "How long the raise lasts once approved" };
        var request = new Command("request", "Ask for higher limits for a while (pending until approved)") { budget, cost, tokens, operations, reason, duration };
        request.Action(async (parse, c) =>
        {
            var raise = new JsonObject();
            if (parse.GetValue(cost) is { } co) raise["cost"] = co;
            if (parse.GetValue(tokens) is { } t) raise["tokens"] = t;
            if (parse.GetValue(operations) is { } o) raise["operations"] = o;
            if (raise.Count == 0)
            {
                throw CliException.BadInput("say what to raise: --cost, --tokens and/or --operations");
            }

            var body = new JsonObject { ["raise"] = raise, ["reason"] = parse.GetValue(reason) };
            if (parse.GetValue(duration) is { } d)
            {
                body["durationMinutes"] = d;
            }

            var answer = await c.Api.PostAsync(Path(c, parse.GetValue(budget)!), body);
            c.Print.Show(answer, () => Show(c, answer));
        });

        overrides.Subcommands.Add(request);
        overrides.Subcommands.Add(Decide("approve", "Approve a pending override: the limits rise at once (not by the key that asked)"));
        overrides.Subcommands.Add(Decide("reject", "Reject a pending override (not by the key that asked)"));

        var listBudget = new Argument<string>("budgetId");
        var state = new Option<string?>("--state") { Description = "pending, approved, rejected or expired" };
        var list = new Command("list", "A budget's overrides, newest first") { listBudget, state };
        list.Action(async (parse, c) =>
        {
            var answer = await c.Api.GetAsync(Path(c, parse.GetValue(listBudget)!) + Query.Of(("state", parse.GetValue(state))));
            c.Print.Show(answer, () => c.Print.Table(["id", "state", "raise", "reason", "requested by", "expires"], answer.Items().Select(o => (IReadOnlyList<string>)
                [o.Str("id"), o.Str("state"), o.At("raise")?.ToJsonString() ?? "-", o.Str("reason"), o.Str("requestedBy"), o.Str("expiresAt")]), empty: "no overrides"));
        });
        overrides.Subcommands.Add(list);
        return overrides;
    }

    private static Command Decide(string verb, string description)
    {
        var budget = new Argument<string>("budgetId");
        var id = new Argument<string>("overrideId");
        var command = new Command(verb, description) { budget, id };
        command.Action(async (parse, c) =>
        {
            var answer = await c.Api.PostAsync(Path(c, parse.GetValue(budget)!) + "/" + Uri.EscapeDataString(parse.GetValue(id)!) + "/" + verb, null);
            c.Print.Show(answer, () => Show(c, answer));
        });
        return command;
    }

    private static string Path(CliContext c, string budget) => c.TenantPath("budgets", Uri.EscapeDataString(budget), "overrides");

    private static void Show(CliContext c, JsonNode? o) => c.Print.Fields(
    [
        ("override", o.Str("id")),
        ("state", o.Str("state")),
        ("raise", o.At("raise")?.ToJsonString() ?? "-"),
        ("reason", o.Str("reason")),
        ("requested by", o.Str("requestedBy")),
        ("expires", o.Str("expiresAt")),
    ]);
}
