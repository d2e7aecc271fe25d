namespace BudgetActors.Domain.Reports;

/// <summary>
/// The names of the parts of a charge. A detail uses the first eleven; a report's components are
/// the ten of API.md, where a cache write counts as <see cref="Input"/> (it is prompt tokens, at
/// the cache-write price) and a job's <see cref="Base"/> as <see cref="Other"/>, as does every
/// charge without a detail (an <c>actual</c> amount).
/// </summary>
public static class SpendComponents
{
    public const string Input = "input";
    public const string CachedInput = "cachedInput";
    public const string CacheWrite = "cacheWrite";
    public const string Output = "output";
    public const string Reasoning = "reasoning";
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Payload = "payload";
    public const string Ops = "ops";
    public const string Network = "network";
    public const string Base = "base";
    public const string Other = "other";

    /// <summary>The components of a report, in the order API.md lists them.</summary>
    public static readonly IReadOnlyList<string> Reported = [Input, CachedInput, Output, Reasoning, Cpu, Memory, Payload, Ops, Network, Other];

    /// <summary>Where a detail's part is counted in a report.</summary>
    public static int ReportedIndexOf(string detailComponent) => detailComponent switch
    {
        Input or CacheWrite => 0,
        CachedInput => 1,
        Output => 2,
        Reasoning => 3,
        Cpu => 4,
        Memory => 5,
        Payload => 6,
        Ops => 7,
        Network => 8,
        _ => 9,
    };
}
