using System.Globalization;
using System.Text.Json.Nodes;
using BudgetActors.Cli.Http;
using BudgetActors.Cli.Output;

namespace BudgetActors.Cli.Watch;

/// <summary>The live view's tabs, in the order of their keys 1–4.</summary>
public enum WatchTab
{
    Overview = 1,
    Trends = 2,
    Controls = 3,
    Alerts = 4,
}

/// <summary>One editable number of a budget on the Controls tab: where it sits in the definition.</summary>
public sealed record ControlField(string Label, string Section, string Name, bool Whole);

/// <summary>
/// What the live view knows (the last answers of the API) and where the user is in it (tab, selected
/// rows, a value being typed). Keys change it; <see cref="WatchScreen"/> draws it. Every call to the API
/// goes through here, so a failure shows in the status line instead of ending the view.
/// </summary>
public sealed class WatchModel(CliContext context)
{
    public static readonly IReadOnlyList<ControlField> Fields =
    [
        new("cost limit", "limits", "cost", false),
        new("tokens limit", "limits", "tokens", true),
        new("operations limit", "limits", "operations", true),
        new("warn threshold", "thresholds", "warn", false),
        new("throttle threshold", "thresholds", "throttle", false),
        new("block threshold", "thresholds", "block", false),
    ];

    public string Tenant => context.Tenant;

    public WatchTab Tab { get; set; } = WatchTab.Overview;

    public IReadOnlyList<JsonNode> Budgets { get; private set; } = [];

    public IReadOnlyList<JsonNode> Alerts { get; private set; } = [];

    /// <summary>The report's top drivers (by user, last 30 days); null when the server has no report.</summary>
    public IReadOnlyList<JsonNode>? Drivers { get; private set; }

    /// <summary>The selected budget's daily spend; null when the server has no trend for it.</summary>
    public JsonNode? Trend { get; private set; }

    public JsonNode? Forecast { get; private set; }

    /// <summary>Whose trend and forecast <see cref="Trend"/> and <see cref="Forecast"/> are.</summary>
    public string? TrendOf { get; private set; }

    public int SelectedBudget { get; private set; }

    public int SelectedAlert { get; private set; }

    public int SelectedField { get; private set; }

    /// <summary>The value being typed on the Controls tab; null when not editing.</summary>
    public string? Editing { get; private set; }

    public string Status { get; private set; } = "";

    public DateTimeOffset? RefreshedAt { get; private set; }

    public bool Quit { get; private set; }

    public string? SelectedBudgetId => Budgets.Count == 0 ? null : Budgets[Math.Min(SelectedBudget, Budgets.Count - 1)].Str("id");

    public async Task RefreshAsync(CancellationToken cancel)
    {
        try
        {
            Budgets = [.. (await context.Api.GetAsync(context.TenantPath("budgets"), cancel)).Items()];
            SelectedBudget = Math.Clamp(SelectedBudget, 0, Math.Max(0, Budgets.Count - 1));
            Alerts = [.. (await context.Api.GetAsync(context.TenantPath("alerts") + "?limit=50", cancel)).Items()];
            SelectedAlert = Math.Clamp(SelectedAlert, 0, Math.Max(0, Alerts.Count - 1));

            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var report = await context.Api.GetOrNullAsync(context.TenantPath("report") +
                $"?from={today.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&groupBy=user", cancel);
            Drivers = report is null ? null : [.. report.Items("topDrivers")];

            // Trend and forecast only for the tab that shows them: two calls per budget are not free.
            if (Tab == WatchTab.Trends && SelectedBudgetId is { } id)
            {
                var budget = context.TenantPath("budgets", Uri.EscapeDataString(id));
                Trend = await context.Api.GetOrNullAsync(budget + "/trend?days=30", cancel);
                Forecast = await context.Api.GetOrNullAsync(budget + "/forecast", cancel);
                TrendOf = id;
            }

            RefreshedAt = DateTimeOffset.Now;
            if (Status.StartsWith("refresh failed", StringComparison.Ordinal))
            {
                Status = "";
            }
        }
        catch (CliException e)
        {
            Status = "refresh failed: " + e.Message;
        }
    }

    /// <summary>Handles one key; true when the data should be fetched again now.</summary>
    public async Task<bool> KeyAsync(ConsoleKeyInfo key, CancellationToken cancel)
    {
        if (Editing is not null)
        {
            return await EditKeyAsync(key, cancel);
        }

        switch (key.Key, key.KeyChar)
        {
            case (_, 'q') or (ConsoleKey.Escape, _):
                Quit = true;
                return false;
            case (_, 'r'):
                Status = "";
                return true;
            case (_, >= '1' and <= '4'):
                Tab = (WatchTab)(key.KeyChar - '0');
                return Tab == WatchTab.Trends;
            case (ConsoleKey.UpArrow, _) or (_, 'k'):
                return Move(-1);
            case (ConsoleKey.DownArrow, _) or (_, 'j'):
                return Move(+1);
            case (ConsoleKey.LeftArrow, _) when Tab == WatchTab.Controls:
                SelectedField = (SelectedField + Fields.Count - 1) % Fields.Count;
                return false;
            case (ConsoleKey.RightArrow or ConsoleKey.Tab, _) when Tab == WatchTab.Controls:
                SelectedField = (SelectedField + 1) % Fields.Count;
                return false;
            case (ConsoleKey.Enter, _) or (_, 'e') when Tab == WatchTab.Controls && SelectedBudgetId is not null:
                Editing = "";
                Status = $"new {Fields[SelectedField].Label} of {SelectedBudgetId}: type it, Enter saves, Esc cancels";
                return false;
            case (ConsoleKey.Enter, _) or (_, 'a') when Tab == WatchTab.Alerts && Alerts.Count > 0:
                await AcknowledgeAsync(Alerts[SelectedAlert], cancel);
                return true;
            default:
                return false;
        }
    }

    private bool Move(int by)
    {
        if (Tab == WatchTab.Alerts)
        {
            SelectedAlert = Math.Clamp(SelectedAlert + by, 0, Math.Max(0, Alerts.Count - 1));
            return false;
        }

        var before = SelectedBudget;
        SelectedBudget = Math.Clamp(SelectedBudget + by, 0, Math.Max(0, Budgets.Count - 1));
        return Tab == WatchTab.Trends && before != SelectedBudget;
    }

    private async Task<bool> EditKeyAsync(ConsoleKeyInfo key, CancellationToken cancel)
    {
        switch (key.Key)
        {
            case ConsoleKey.Escape:
                Editing = null;
                Status = "edit cancelled";
                return false;
            case ConsoleKey.Backspace:
                Editing = Editing![..Math.Max(0, Editing!.Length - 1)];
                return false;
            case ConsoleKey.Enter:
                var typed = Editing!;
                Editing = null;
                return await SaveAsync(typed, cancel);
            default:
                if (char.IsDigit(key.KeyChar) || key.KeyChar == '.')
                {
                    Editing += key.KeyChar;
                }

                return false;
        }
    }

    /// <summary>
    /// Puts the selected budget back with one number changed: the definition is read fresh (not from
    /// the last refresh), so that nothing else someone changed meanwhile is undone.
    /// </summary>
    private async Task<bool> SaveAsync(string typed, CancellationToken cancel)
    {
        var field = Fields[SelectedField];
        var id = SelectedBudgetId;
        if (id is null || !decimal.TryParse(typed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || (field.Whole && value != decimal.Truncate(value)))
        {
            Status = $"'{typed}' is not a {(field.Whole ? "whole number" : "number")}: nothing saved";
            return false;
        }

        try
        {
            var path = context.TenantPath("budgets", Uri.EscapeDataString(id));
            var definition = (JsonObject)(await context.Api.GetAsync(path, cancel))!;
            foreach (var notDefinition in new[] { "id", "status", "tier" })
            {
                definition.Remove(notDefinition);
            }

            if (definition[field.Section] is not JsonObject section)
            {
                definition[field.Section] = section = new JsonObject();
            }

            section[field.Name] = field.Whole ? JsonValue.Create((long)value) : JsonValue.Create(value);
            await context.Api.PutAsync(path, definition.WithoutNulls(), cancel);
            Status = $"saved: {id} {field.Label} = {typed}";
        }
        catch (CliException e)
        {
            Status = $"not saved: {e.Message}" + string.Concat(e.Errors.Select(kv => $" {kv.Key}: {string.Join("; ", kv.Value)}"));
        }

        return true;
    }

    private async Task AcknowledgeAsync(JsonNode alert, CancellationToken cancel)
    {
        var id = alert.Str("id");
        try
        {
            await context.Api.PostAsync(context.TenantPath("alerts", Uri.EscapeDataString(id), "ack"), null, cancel);
            Status = $"acknowledged {id}";
        }
        catch (CliException e)
        {
            Status = $"not acknowledged: {e.Message}";
        }
    }
}
