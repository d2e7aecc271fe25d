using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Commands;
using BudgetActors.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BudgetActors.Cli.Watch;

/// <summary>
/// Draws the live view. Sized for an 80×24 terminal: a tab bar, a panel of at most
/// <see cref="BodyLines"/> lines, and a status and key line; long lists scroll with the selection.
/// </summary>
public static class WatchScreen
{
    /// <summary>Lines inside the panel: 24 rows less the tab bar, the panel's two borders and two footer lines.</summary>
    public const int BodyLines = 18;

    private static readonly string[] TabNames = ["Overview", "Trends", "Controls", "Alerts"];

    public static IRenderable Render(WatchModel m)
    {
        var tabs = new StringBuilder($"[bold]budgetctl[/] {Markup.Escape(m.Tenant)}  ");
        for (var i = 0; i < TabNames.Length; i++)
        {
            var label = $" {i + 1} {TabNames[i]} ";
            tabs.Append((int)m.Tab == i + 1 ? $"[black on aqua]{label}[/]" : label);
        }

        var body = m.Tab switch
        {
            WatchTab.Overview => Overview(m),
            WatchTab.Trends => Trends(m),
            WatchTab.Controls => Controls(m),
            _ => Alerts(m),
        };

        var refreshed = m.RefreshedAt is { } at ? at.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "never";
        var keys = m.Tab switch
        {
            WatchTab.Controls when m.Editing is not null => "digits . ⌫  Enter save  Esc cancel",
            WatchTab.Controls => "↑↓ budget  ←→ field  Enter edit  1-4 tab  r refresh  q quit",
            WatchTab.Alerts => "↑↓ alert  a acknowledge  1-4 tab  r refresh  q quit",
            WatchTab.Trends => "↑↓ budget  1-4 tab  r refresh  q quit",
            _ => "↑↓ budget  1-4 tab  r refresh  q quit",
        };

        return new Rows(
            new Markup(tabs.ToString()),
            new Panel(body) { Border = BoxBorder.Rounded, Expand = true, Height = BodyLines + 2 },
            new Markup(Markup.Escape(Fit(m.Status, 78))),
            new Markup($"[grey]{Markup.Escape(keys)}  · refreshed {refreshed}[/]"));
    }

    private static IRenderable Overview(WatchModel m)
    {
        if (m.Budgets.Count == 0)
        {
            return new Markup("no budgets yet: budgetctl budgets apply -f budgets.yaml");
        }

        var rows = new List<IRenderable>();
        var table = new Table().Border(TableBorder.None).HideRowSeparators();
        table.AddColumn(new TableColumn("[bold]budget[/]").NoWrap());
        table.AddColumn(new TableColumn("[bold]state[/]").NoWrap());
        table.AddColumn(new TableColumn("[bold]spent / limit[/]").NoWrap().RightAligned());
        table.AddColumn(new TableColumn("[bold]used[/]").NoWrap());
        table.AddColumn(new TableColumn("[bold]period end[/]").NoWrap());
        var driverLines = m.Drivers is { Count: > 0 } d ? Math.Min(5, d.Count) + 1 : 2;
        foreach (var (b, i) in Window(m.Budgets, m.SelectedBudget, BodyLines - 2 - driverLines))
        {
            var status = b.At("status");
            var used = Json.Utilization(status);
            var state = b.Str("status.state");
            var limited = new[] { "cost", "tokens", "operations" }.FirstOrDefault(x => status.At(x + ".limit") is not null) ?? "cost";
            table.AddRow(
                new Markup((i == m.SelectedBudget ? "[bold]›[/]" : " ") + Markup.Escape(Fit(b.Str("id"), 22))),
                new Markup($"[{Colour(state)}]{Markup.Escape(state)}[/]"),
                new Text($"{Json.Money(status.Dec(limited + ".spent"))} / {Json.Money(status.Dec(limited + ".limit"))}" + (limited == "cost" ? "" : " " + limited[..3])),
                new Markup($"[{Colour(state)}]{Bar(used, 10)}[/] {Json.Percent(used)}"),
                new Text(PeriodEnd(status)));
        }

        rows.Add(table);
        rows.Add(new Markup("[bold]top drivers[/] (users, last 30 days)"));
        if (m.Drivers is null)
        {
            rows.Add(new Markup("[grey]no data: this server has no report[/]"));
        }
        else if (m.Drivers.Count == 0)
        {
            rows.Add(new Markup("[grey]no spend in the last 30 days[/]"));
        }
        else
        {
            foreach (var driver in m.Drivers.Take(5))
            {
                rows.Add(new Text($"  {Fit(driver.Str("key"), 24),-24} {Json.Money(driver.Dec("cost")),12}  {Json.Percent(driver.Dec("share")),6}  {driver.Str("count")} records"));
            }
        }

        return new Rows(rows);
    }

    private static IRenderable Trends(WatchModel m)
    {
        if (m.SelectedBudgetId is not { } id)
        {
            return new Markup("no budgets yet");
        }

        var rows = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(id)}[/]: spend per day, last 30 days   [grey](↑↓ another budget)[/]") };
        if (m.TrendOf != id)
        {
            rows.Add(new Markup("[grey]loading…[/]"));
            return new Rows(rows);
        }

        var days = m.Trend.Items("days").ToList();
        if (m.Trend is null || days.Count == 0)
        {
            rows.Add(new Markup("[grey]no data: no trend for this budget yet[/]"));
        }
        else
        {
            // Cost when there is any, else tokens: a token-only budget still gets a chart.
            var metric = days.Any(x => x.Dec("cost") > 0) ? "cost" : "tokens";
            var values = days.Select(x => x.Dec(metric) ?? 0m).ToList();
            foreach (var line in Chart(values, 6))
            {
                rows.Add(new Markup($"[aqua]{Markup.Escape(line)}[/]"));
            }

            rows.Add(new Text($"{days[0].Str("date")}{new string(' ', Math.Max(1, values.Count * 2 - 20))}{days[^1].Str("date")}"));
            rows.Add(new Text($"{metric}: total {Json.Money(values.Sum())}, peak {Json.Money(values.Max())}, today {Json.Money(values[^1])}"));
        }

        rows.Add(new Markup("[bold]forecast[/]"));
        if (m.Forecast is null)
        {
            rows.Add(new Markup("[grey]no data: no forecast for this budget[/]"));
        }
        else
        {
            foreach (var (name, value) in InsightCommands.Lines(m.Forecast))
            {
                rows.Add(new Text($"  {name,-10} {Fit(value, 64)}"));
            }
        }

        return new Rows(rows);
    }

    private static IRenderable Controls(WatchModel m)
    {
        if (m.SelectedBudgetId is null)
        {
            return new Markup("no budgets yet");
        }

        var rows = new List<IRenderable> { new Markup("[bold]budget[/]") };
        foreach (var (b, i) in Window(m.Budgets, m.SelectedBudget, 6))
        {
            var selected = i == m.SelectedBudget;
            var line = $"{(selected ? "›" : " ")} {Fit(b.Str("id"), 30),-30} {b.Str("status.state")}";
            rows.Add(selected ? new Markup($"[black on aqua]{Markup.Escape(line)}[/]") : new Text(line));
        }

        var budget = m.Budgets[m.SelectedBudget];
        rows.Add(new Markup($"[bold]limits and thresholds of {Markup.Escape(budget.Str("id"))}[/]"));
        for (var f = 0; f < WatchModel.Fields.Count; f++)
        {
            var field = WatchModel.Fields[f];
            var current = budget.At($"{field.Section}.{field.Name}") is { } v ? v.ToString() : "none";
            var selected = f == m.SelectedField;
            var value = selected && m.Editing is not null ? $"{current} → {m.Editing}_" : current;
            var line = $"{(selected ? "›" : " ")} {field.Label,-20} {value}";
            rows.Add(selected ? new Markup($"[black on yellow]{Markup.Escape(line)}[/]") : new Text(line));
        }

        return new Rows(rows);
    }

    private static IRenderable Alerts(WatchModel m)
    {
        if (m.Alerts.Count == 0)
        {
            return new Markup("no alerts");
        }

        // Fixed columns rather than a table: a table squeezes its columns and wraps cells onto a second line.
        var rows = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(AlertLine(" raised", "budget", "type", "used", "ack", "message"))}[/]") };
        foreach (var (a, i) in Window(m.Alerts, m.SelectedAlert, BodyLines - 1))
        {
            var acknowledged = a.At("acknowledgedAt") is not null;
            var line = AlertLine(
                (i == m.SelectedAlert ? "›" : " ") + (DateTimeOffset.TryParse(a.Str("createdAt"), CultureInfo.InvariantCulture, out var at) ? at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-"),
                a.Str("budgetId"),
                a.Str("type").Replace("budget.", ""),
                Json.Percent(a.Dec("utilization")),
                acknowledged ? "yes" : "open",
                a.Str("message"));
            var style = i == m.SelectedAlert ? "black on aqua" : acknowledged ? "grey" : "default";
            rows.Add(new Markup($"[{style}]{Markup.Escape(line)}[/]"));
        }

        return new Rows(rows);
    }

    private static string AlertLine(string raised, string budget, string type, string used, string ack, string message) =>
        Fit($"{raised,-9} {Fit(budget, 16),-16} {Fit(type, 18),-18} {used,6} {ack,-4} {message}", 76);

    /// <summary>The rows to show of a list so that the selected one is always among them.</summary>
    private static IEnumerable<(JsonNode Item, int Index)> Window(IReadOnlyList<JsonNode> items, int selected, int size)
    {
        size = Math.Max(1, size);
        var first = Math.Clamp(selected - size / 2, 0, Math.Max(0, items.Count - size));
        return items.Skip(first).Take(size).Select((item, i) => (item, first + i));
    }

    /// <summary>A column chart, one column per day (two characters wide), <paramref name="height"/> lines of eighth blocks.</summary>
    public static IReadOnlyList<string> Chart(IReadOnlyList<decimal> values, int height)
    {
        const string Eighths = " ▁▂▃▄▅▆▇█";
        var max = values.Count == 0 ? 0m : values.Max();
        var lines = new List<string>();
        for (var row = height - 1; row >= 0; row--)
        {
            var line = new StringBuilder();
            foreach (var value in values)
            {
                var eighths = max <= 0 ? 0 : (int)Math.Round(value / max * height * 8);
                var here = Math.Clamp(eighths - row * 8, 0, 8);
                line.Append(Eighths[here]).Append(' ');
            }

            lines.Add(line.ToString().TrimEnd());
        }

        return lines;
    }

    private static string Bar(decimal? fraction, int width)
    {
        var filled = fraction is { } f ? (int)Math.Round(Math.Clamp(f, 0m, 1m) * width) : 0;
        return new string('█', filled) + new string('░', width - filled);
    }

    private static string Colour(string state) => state switch
    {
        "ok" => "green",
        "warning" => "yellow",
        "throttled" => "darkorange",
        "blocked" => "red",
        _ => "default",
    };

    private static string PeriodEnd(JsonNode? status) =>
        DateTimeOffset.TryParse(status.Str("periodEnd"), CultureInfo.InvariantCulture, out var end) ? end.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "never";

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
