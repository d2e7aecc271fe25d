using System.Collections.Immutable;
using BudgetActors.Domain.Reports;

namespace BudgetActors.Domain.Tests.Reports;

/// <summary>Charges for the report tests: jobs, LLM calls and plain amounts, as the ledger would hold them.</summary>
internal static class Facts
{
    private static long s_sequence;

    public static SpendFact Job(DateTimeOffset at, decimal cpu, decimal memory, string[] budgets, params (string, string)[] attributes) =>
        Fact(at, new Amount(cpu + memory, 0, 1), budgets, attributes,
            new SpendDetail(null, null, new JobUsage(1m, 1m, 0, 0, 0), 1m, Parts(("cpu", cpu), ("memory", memory))));

    public static SpendFact Llm(DateTimeOffset at, string model, long input, long output, decimal inputCost, decimal outputCost, string[] budgets, params (string, string)[] attributes) =>
        Fact(at, new Amount(inputCost + outputCost, input + output, 1), budgets, attributes,
            new SpendDetail(model, new LlmTokenCounts(input, 0, 0, output, 0), null, null, Parts(("input", inputCost), ("output", outputCost))));

    public static SpendFact Plain(DateTimeOffset at, decimal cost, string[] budgets, params (string, string)[] attributes) =>
        Fact(at, new Amount(cost, 0, 1), budgets, attributes, null);

    public static Dictionary<AggregateKey, SpendAggregate> Fold(string timeZone, params SpendFact[] facts)
    {
        var folder = new SpendFolder();
        foreach (var fact in facts)
        {
            folder.Add(fact, timeZone);
        }

        return folder.Deltas;
    }

    private static SpendFact Fact(DateTimeOffset at, Amount amount, string[] budgets, (string Name, string Value)[] attributes, SpendDetail? detail) =>
        new("acme", Interlocked.Increment(ref s_sequence), at,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, attributes.Select(a => KeyValuePair.Create(a.Name, a.Value))),
            [.. budgets], amount, detail);

    private static ImmutableSortedDictionary<string, decimal> Parts(params (string Name, decimal Cost)[] parts) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parts.Where(p => p.Cost != 0m).Select(p => KeyValuePair.Create(p.Name, p.Cost)));
}
