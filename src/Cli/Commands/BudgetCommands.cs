using System.CommandLine;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Budgets;
using BudgetActors.Cli.Http;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>budgets apply|list|get|delete|reset</c>.</summary>
public static class BudgetCommands
{
    public static Command Build()
    {
        var budgets = new Command("budgets", "Budgets: apply a file, list, get, delete, reset");
        budgets.Subcommands.Add(Apply());
        budgets.Subcommands.Add(List());
        budgets.Subcommands.Add(Get());
        budgets.Subcommands.Add(Delete());
        budgets.Subcommands.Add(Reset());
        return budgets;
    }

    private static Command Apply()
    {
        var file = new Option<string>("--file", "-f") { Description = "JSON or YAML file of one or more budgets (- for stdin)", Required = true };
        var apply = new Command("apply", "Create or replace the budgets of a file; one already as the file says is left alone (\"unchanged\")") { file };
        apply.Action(async (parse, c, cancel) =>
        {
            var specs = BudgetFile.Read(parse.GetValue(file)!);
            var timezone = await TenantTimezone(c, cancel);
            var results = new JsonArray();
            CliException? firstFailure = null;
            foreach (var spec in specs)
            {
                var path = c.TenantPath("budgets", Uri.EscapeDataString(spec.Id));
                var result = new JsonObject { ["id"] = spec.Id };
                try
                {
                    // Compare before writing: a PUT of the same definition would still be a write (and an event).
                    var current = await c.Api.GetOrNullAsync(path, cancel) as JsonObject;
                    var changed = current is null ? [] : BudgetDiff.Differences(spec.Body, current, timezone);
                    if (current is not null && changed.Count == 0)
                    {
                        result["result"] = "unchanged";
                    }
                    else
                    {
                        await c.Api.PutAsync(path, spec.Body, cancel);
                        result["result"] = c.Api.LastStatus == 201 ? "created" : "updated";
                        if (current is not null)
                        {
                            result["changed"] = new JsonArray(changed.Select(p => (JsonNode)p!).ToArray());
                        }
                    }
                }
                catch (CliException e)
                {
                    firstFailure ??= e;
                    result["result"] = "failed";
                    result["error"] = e.Message;
                    if (e.Errors.Count > 0)
                    {
                        result["errors"] = new JsonObject(e.Errors.Select(kv =>
                            KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray(kv.Value.Select(m => (JsonNode)m!).ToArray()))));
                    }
                }

                results.Add(result);
            }

            var answer = new JsonObject { ["items"] = results };
            c.Print.Show(answer, () => c.Print.Table(["budget", "result", "detail"], answer.Items().Select(r => (IReadOnlyList<string>)
            [
                r.Str("id"),
                r.Str("result"),
                r.Str("result") == "failed" ? r.Str("error") : r["changed"] is JsonArray { Count: > 0 } ch ? "changed: " + string.Join(", ", ch.Select(x => x!.ToString())) : "",
            ])));
            if (firstFailure is not null)
            {
                Run.Report(firstFailure);
                return firstFailure.ExitCode;
            }

            return ExitCodes.Ok;
        });
        return apply;
    }

    /// <summary>What an absent <c>period.timezone</c> becomes; null when the key may not read the tenant.</summary>
    private static async Task<string?> TenantTimezone(CliContext c, CancellationToken cancel)
    {
        try
        {
            return (await c.Api.GetAsync(c.TenantPath(), cancel)).Str("timezone", missing: null!);
        }
        catch (ApiException e) when (e.ExitCode == ExitCodes.Auth)
        {
            return null;
        }
    }

    private static Command List()
    {
        var list = new Command("list", "Every budget of the tenant with its state and spend");
        list.Action(async (_, c) =>
        {
            var answer = await c.Api.GetAsync(c.TenantPath("budgets"));
            c.Print.Show(answer, () => c.Print.Table(
                ["budget", "state", "cost", "tokens", "operations", "used", "period end"],
                answer.Items().Select(b => (IReadOnlyList<string>)
                [
                    b.Str("id"),
                    b.Str("status.state"),
                    Json.SpentOfLimit(b.At("status.cost")),
                    Json.SpentOfLimit(b.At("status.tokens")),
                    Json.SpentOfLimit(b.At("status.operations")),
                    Json.Percent(Json.Utilization(b.At("status"))),
                    b.When("status.periodEnd"),
                ]),
                empty: "no budgets"));
        });
        return list;
    }

    private static Command Get()
    {
        var id = new Argument<string>("budgetId");
        var get = new Command("get", "A budget's definition and live status") { id };
        get.Action(async (parse, c) =>
        {
            var b = await c.Api.GetAsync(c.TenantPath("budgets", Uri.EscapeDataString(parse.GetValue(id)!)));
            c.Print.Show(b, () =>
            {
                var scope = b.At("scope") is JsonObject s && s.Count > 0 ? string.Join(", ", s.Select(kv => $"{kv.Key}={kv.Value}")) : "whole tenant";
                c.Print.Fields(
                [
                    ("budget", b.Str("id")),
                    ("scope", scope),
                    ("period", $"{b.Str("period.type")} ({b.Str("period.timezone")})"),
                    ("enforcement", b.Str("enforcement.mode")),
                    ("thresholds", $"warn {b.Str("thresholds.warn")}, throttle {b.Str("thresholds.throttle")}, block {b.Str("thresholds.block")}"),
                    ("state", b.Str("status.state")),
                    ("cost", Json.SpentOfLimit(b.At("status.cost")) + $" (reserved {Json.Money(b.Dec("status.cost.reserved"))})"),
                    ("tokens", Json.SpentOfLimit(b.At("status.tokens"))),
                    ("operations", Json.SpentOfLimit(b.At("status.operations"))),
                    ("used", Json.Percent(Json.Utilization(b.At("status")))),
                    ("period", $"{b.Str("status.periodStart")} .. {b.Str("status.periodEnd")}"),
                ]);
            });
        });
        return get;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("budgetId");
        var delete = new Command("delete", "The budget stops applying (its history is kept)") { id };
        delete.Action(async (parse, c) =>
        {
            var budget = parse.GetValue(id)!;
            await c.Api.DeleteAsync(c.TenantPath("budgets", Uri.EscapeDataString(budget)));
            c.Print.Show(new JsonObject { ["deleted"] = budget }, () => c.Print.Line($"deleted {budget}"));
        });
        return delete;
    }

    private static Command Reset()
    {
        var id = new Argument<string>("budgetId");
        var reason = new Option<string>("--reason") { Description = "Why (kept in the history and the audit trail)", Required = true };
        var reset = new Command("reset", "Close the current period now and start the rest of it afresh") { id, reason };
        reset.Action(async (parse, c) =>
        {
            var budget = parse.GetValue(id)!;
            var answer = await c.Api.PostAsync(c.TenantPath("budgets", Uri.EscapeDataString(budget), "reset"), new JsonObject { ["reason"] = parse.GetValue(reason) });
            c.Print.Show(answer, () => c.Print.Line($"reset {budget}: state {answer.Str("status.state")}, period ends {answer.Str("status.periodEnd")}"));
        });
        return reset;
    }
}
