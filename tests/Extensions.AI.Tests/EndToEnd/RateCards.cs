namespace BudgetActors.Extensions.AI.Tests.EndToEnd;

/// <summary>The rates the end-to-end tests price with on the caller's side (the server does not price LLM amounts yet).</summary>
public static class RateCards
{
    public static readonly RateCardPricer Pricer = new(new Dictionary<string, ModelRates>
    {
        ["big-model"] = new(InputPerMillion: 2.50m, OutputPerMillion: 10.00m),
        ["small-model"] = new(InputPerMillion: 0.15m, OutputPerMillion: 0.60m),
    });
}
