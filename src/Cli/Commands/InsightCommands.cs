using System.CommandLine;
using System.Globalization;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Commands;

/// <summary><c>events</c>, <c>report</c>, <c>forecast</c>: reading what happened and what is coming.</summary>
public static class InsightCommands
{
    public static Command Events()
    {
        var budget = new Option<string?>("--budget") { Description = "Only this budget's events" };
        var type = new Option<string?>("--type") { Description = "Only events of this type (budget.updated, alert.raised, …)" };
        var since = new Option<string?>("--since") { Description = "From this time (RFC 3339)" };
        var until = new Option<string?>("--until") { Description = "Until this time (RFC 3339)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many" };
        var cursor = new Option<string?>("--cursor") { Description = "The next page, from a previous answer's next" };
        var events = new Command("events", "The audit trail, oldest first (tenant-admin)") { budget, type, since, until, limit, cursor };
        events.Action(async (parse, c) =>
        {
            var answer = await c.Api.GetAsync(c.TenantPath("events") + Query.Of(
                ("budget", parse.GetValue(budget)), ("type", parse.GetValue(type)), ("since", parse.GetValue(since)),
                ("until", parse.GetValue(until)), ("limit", parse.GetValue(limit)?.ToString()), ("cursor", parse.GetValue(cursor))));
            c.Print.Show(answer, () =>
            {
                c.Print.Table(["at", "type", "actor", "budget"], answer.Items().Select(e => (IReadOnlyList<string>)
                    [e.When("at"), e.Str("type"), e.Str("actor"), e.Str("budgetId")]), empty: "no events");
                if (answer.At("next") is { } next)
                {
                    c.Print.Line($"more: --cursor {next}");
                }
            });
        });
        return events;
    }

    public static Command Report()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = new Option<string?>("--from") { Description = "First day, YYYY-MM-DD (default: 29 days before --to)" };
        var to = new Option<string?>("--to") { Description = "Last day, YYYY-MM-DD (default: today)" };
        var groupBy = new Option<string>("--group-by") { Description = "queue, model, user, project or budget", DefaultValueFactory = _ => "budget" };
        var report = new Command("report", "Spend over days, grouped, with the top drivers and recommendations") { from, to, groupBy };
        report.Action(async (parse, c) =>
        {
            var last = parse.GetValue(to) ?? today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var first = parse.GetValue(from) ?? (DateOnly.TryParse(last, CultureInfo.InvariantCulture, out var l) ? l.AddDays(-29) : today.AddDays(-29)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var answer = await c.Api.GetAsync(c.TenantPath("report") + Query.Of(("from", first), ("to", last), ("groupBy", parse.GetValue(groupBy))));
            c.Print.Show(answer, () =>
            {
                c.Print.Line($"{answer.Str("from")} .. {answer.Str("to")}: {Json.Money(answer.Dec("total.cost"))} {answer.Str("currency", "")}, " +
                    $"{answer.Str("total.tokens")} tokens, {answer.Str("total.operations")} operations, {answer.Str("total.count")} records");
                c.Print.Table([parse.GetValue(groupBy)!, "count", "cost", "share", "avg", "p95"], answer.Items("groups").Select(g => (IReadOnlyList<string>)
                    [g.Str("key"), g.Str("count"), Json.Money(g.Dec("cost")), Json.Percent(g.Dec("share")), Json.Money(g.Dec("avg")), Json.Money(g.Dec("p95"))]),
                    empty: "no spend in these days");
                foreach (var recommendation in answer.Items("recommendations"))
                {
                    c.Print.Line("- " + recommendation);
                }
            });
        });
        return report;
    }

    public static Command Forecast()
    {
        var budget = new Argument<string>("budgetId");
        var forecast = new Command("forecast", "Where a budget's spend is heading by the end of its period") { budget };
        forecast.Action(async (parse, c) =>
        {
            var answer = await c.Api.GetAsync(c.TenantPath("budgets", Uri.EscapeDataString(parse.GetValue(budget)!), "forecast"));
            c.Print.Show(answer, () => c.Print.Fields(Lines(answer)));
        });
        return forecast;
    }

    /// <summary>A forecast answer as name / value lines (shared with the live view).</summary>
    public static IReadOnlyList<(string Name, string Value)> Lines(System.Text.Json.Nodes.JsonNode? f)
    {
        if (f.At("insufficientHistory")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
        {
            return [("forecast", $"not enough history ({f.Str("historyDays")} days)"), ("run rate", f.Str("runRate"))];
        }

        return
        [
            ("spent", Json.Money(f.Dec("spent"))),
            ("predicted", $"p50 {Json.Money(f.Dec("predicted.p50"))} (p10 {Json.Money(f.Dec("predicted.p10"))} .. p90 {Json.Money(f.Dec("predicted.p90"))}) by {f.Str("periodEnd")}"),
            ("at end", Json.Percent(f.Dec("utilizationAtEnd")) + ", trend " + f.Str("trend")),
            ("overrun", f.At("overrunAt") is null ? "none expected" : $"{f.Str("overrunAt")} (in {f.Str("daysUntilOverrun")} days)"),
            ("method", $"{f.Str("method")} over {f.Str("historyDays")} days"),
            ("advice", f.Str("recommendation")),
        ];
    }
}
