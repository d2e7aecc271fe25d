using System.CommandLine;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>alerts list|ack</c>.</summary>
public static class AlertCommands
{
    public static Command Build()
    {
        var state = new Option<string?>("--state") { Description = "open or acknowledged" }.AcceptOnlyFromAmong("open", "acknowledged");
        var budget = new Option<string?>("--budget") { Description = "Only this budget's alerts" };
        var limit = new Option<int?>("--limit") { Description = "At most this many" };
        var cursor = new Option<string?>("--cursor") { Description = "The next page, from a previous answer's next" };
        var list = new Command("list", "The alert feed, newest first") { state, budget, limit, cursor };
        list.Action(async (parse, c) =>
        {
            var answer = await c.Api.GetAsync(c.TenantPath("alerts") + Query.Of(
                ("state", parse.GetValue(state)), ("budget", parse.GetValue(budget)), ("limit", parse.GetValue(limit)?.ToString()), ("cursor", parse.GetValue(cursor))));
            c.Print.Show(answer, () =>
            {
                // The message is left to --output json: in 80 columns it would wrap every row into many lines.
                c.Print.Table(["id", "raised", "budget", "type", "used", "acknowledged"], answer.Items().Select(a => (IReadOnlyList<string>)
                [
                    a.Str("id"), a.When("createdAt"), a.Str("budgetId"), a.Str("type").Replace("budget.", ""), Json.Percent(a.Dec("utilization")),
                    a.At("acknowledgedAt") is null ? "no" : "yes",
                ]), empty: "no alerts");
                if (answer.At("next") is { } next)
                {
                    c.Print.Line($"more: --cursor {next}");
                }
            });
        });

        var id = new Argument<string>("alertId");
        var ack = new Command("ack", "Acknowledge an alert (stops its escalation)") { id };
        ack.Action(async (parse, c) =>
        {
            var alert = parse.GetValue(id)!;
            var answer = await c.Api.PostAsync(c.TenantPath("alerts", Uri.EscapeDataString(alert), "ack"), null);
            c.Print.Show(answer, () => c.Print.Line($"acknowledged {alert}"));
        });

        return new Command("alerts", "Alerts: list, ack") { list, ack };
    }
}
