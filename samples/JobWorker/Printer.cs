using System.Collections.Immutable;
using System.Globalization;

namespace BudgetActors.JobWorker;

/// <summary>One line per decision, in a form that is easy to read and to grep.</summary>
public static class Printer
{
    public static void Job(SimulatedJob job, string step, string text) =>
        Console.WriteLine($"job {job.Number:D3}  {step,-8} {text}");

    public static string Money(decimal value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    public static string Decision(Decision decision, decimal? throttleFactor, string? downgradeTo) => decision switch
    {
        BudgetActors.Decision.Throttle => $"throttle (keep {(throttleFactor ?? 0m) * 100m:0}% of the normal rate)",
        BudgetActors.Decision.Downgrade => $"downgrade to {downgradeTo}",
        _ => decision.ToString().ToLowerInvariant(),
    };

    public static string Budgets(ImmutableArray<BudgetStatus> budgets) =>
        budgets.IsDefaultOrEmpty ? "no budget applies" : string.Join(", ", budgets.Select(Budget));

    public static string Budget(BudgetStatus b) =>
        $"{b.BudgetId} {Money(b.Cost.Spent)} spent + {Money(b.Cost.Reserved)} held of {(b.Cost.Limit is { } l ? Money(l) : "no limit")} ({b.State.ToString().ToLowerInvariant()})";
}
