using Microsoft.Extensions.Options;

namespace BudgetActors.Grains.Telemetry;

/// <summary>Metrics settings, bound from the <c>Metrics</c> configuration section (env <c>Metrics__*</c>) and validated at start.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>The most <see cref="TopBudgets"/> may be: each is a series of its own.</summary>
    public const int MaxTopBudgets = 1000;

    /// <summary>
    /// <c>GET /metrics</c> without a key. Off by default: the top budgets' gauge names tenants and
    /// budgets, which only the admin may see. Turn it on where only the scraper reaches the port.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// How many of the most utilized budgets active on a silo the <c>budget_actors_budget_utilization</c>
    /// gauge names (labels tenant and budget); 0 turns it off. The number of series is at most this per silo.
    /// </summary>
    public int TopBudgets { get; set; } = 10;
}

/// <summary>Refuses settings the metrics cannot run with, at start, naming the key.</summary>
public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.TopBudgets is < 0 or > MetricsOptions.MaxTopBudgets
            ? ValidateOptionsResult.Fail($"Metrics:TopBudgets must be 0–{MetricsOptions.MaxTopBudgets} (got {options.TopBudgets}).")
            : ValidateOptionsResult.Success;
}
