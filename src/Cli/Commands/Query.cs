namespace BudgetActors.Cli.Commands;

/// <summary>A query string of the parameters that were given, each escaped.</summary>
public static class Query
{
    public static string Of(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }
}
