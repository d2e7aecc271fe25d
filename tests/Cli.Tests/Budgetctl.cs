using System.Diagnostics;
using System.Text.Json.Nodes;

namespace BudgetActors.Cli.Tests;

/// <summary>What one run of budgetctl did.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout as JSON (the run was made with <c>-o json</c>).</summary>
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("no JSON on stdout");

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the built budgetctl as its own OS process, as a user's shell would.</summary>
public static class Budgetctl
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "budgetctl.dll");

    public static string Dotnet => DotnetHost.Executable;

    /// <param name="environment">BUDGETACTORS_* of this run; the test runner's own never leak in.</param>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "BUDGETACTORS_URL", "BUDGETACTORS_KEY", "BUDGETACTORS_TENANT" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"budgetctl {string.Join(' ', args)} did not end within 60 s");
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
