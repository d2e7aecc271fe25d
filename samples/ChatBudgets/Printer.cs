using System.Globalization;
using BudgetActors.Extensions.AI;

namespace BudgetActors.ChatBudgets;

/// <summary>What the sample prints: each settlement as it happens, and the budgets it touched.</summary>
public sealed class Printer
{
    private bool _midLine;

    public BudgetSettlement? Last { get; private set; }

    public static string Money(decimal value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine($"== {text} ==");
    }

    /// <summary>Streamed text, written as it comes.</summary>
    public void Stream(string text)
    {
        if (!_midLine)
        {
            Console.Write("   < ");
            _midLine = true;
        }

        Console.Write(text);
    }

    /// <summary>Called by the middleware (OnSettled) once per reserved call.</summary>
    public void Settled(BudgetSettlement s)
    {
        Last = s;
        if (_midLine)
        {
            // A stream settles as it ends, before the reading loop prints anything more.
            Console.WriteLine();
            _midLine = false;
        }

        var model = s.CalledModel == s.RequestedModel ? s.CalledModel : $"{s.CalledModel} (downgraded from {s.RequestedModel})";
        var decision = s.Reservation.Decision.ToString().ToLowerInvariant();
        var what = s.Kind switch
        {
            SettlementKind.Committed => $"committed {Describe(s.Actual)} -> charged {Money(s.Commit!.Charged.Cost)}, {s.Commit.Charged.Tokens} tokens",
            SettlementKind.Released => $"released {Money(s.Release!.Released.Cost)} held",
            SettlementKind.CommitFailed => $"COMMIT FAILED: {s.Error?.Message}",
            _ => $"release failed ({s.Error?.Message}); the hold expires by itself",
        };
        var end = s.End == CallEnd.Completed ? "" : $" [{s.End.ToString().ToLowerInvariant()}]";
        Console.WriteLine($"   {s.ReservationId} ({decision}, {model}){end}: {what}{(s.UsageEstimated ? " (usage estimated)" : "")}");
    }

    public void Budgets()
    {
        var budgets = Last?.Commit?.Budgets ?? Last?.Release?.Budgets ?? [];
        foreach (var b in budgets)
        {
            Console.WriteLine($"   budget {b.Id}: {b.State.ToString().ToLowerInvariant()}; cost {Metric(b.Cost, Money)}; tokens {Metric(b.Tokens, v => v.ToString("0", CultureInfo.InvariantCulture))}");
        }
    }

    private static string Metric(MetricStatus m, Func<decimal, string> format) =>
        m.Limit is { } limit
            ? $"{format(m.Spent)} spent + {format(m.Reserved)} reserved of {format(limit)}"
            : $"{format(m.Spent)} spent (no limit)";

    private static string Describe(AmountSpec? actual) => actual switch
    {
        LlmUsage u => $"{u.Model} {u.InputTokens} in / {u.OutputTokens} out",
        ExplicitAmount e => $"{Money(e.Amount.Cost)}",
        _ => "",
    };
}
