using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BudgetActors.Cli.Output;

/// <summary>
/// Prints an answer as the user asked: <c>json</c> writes the service's answer itself (indented, numbers
/// exactly as received); <c>table</c> draws what a person wants to see of it.
/// </summary>
public sealed class Printer(bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool Json { get; } = json;

    /// <summary>JSON mode prints <paramref name="answer"/>; table mode runs <paramref name="table"/>.</summary>
    public void Show(JsonNode? answer, Action table)
    {
        if (Json)
        {
            Console.Out.WriteLine(answer is null ? "{}" : answer.ToJsonString(Indented));
        }
        else
        {
            table();
        }
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? empty = null)
    {
        var list = rows.ToList();
        if (list.Count == 0 && empty is not null)
        {
            AnsiConsole.WriteLine(empty);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        foreach (var row in list)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Name / value lines, for one object.</summary>
    public void Fields(IEnumerable<(string Name, string Value)> fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        }

        AnsiConsole.Write(grid);
    }

    public void Line(string text) => AnsiConsole.Write(new Text(text + Environment.NewLine));
}
