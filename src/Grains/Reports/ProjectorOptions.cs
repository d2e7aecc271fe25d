namespace BudgetActors.Grains.Reports;

/// <summary>How the daily aggregates follow the ledger (configuration section <c>Reports</c>).</summary>
public sealed class ProjectorOptions
{
    public const string Section = "Reports";

    /// <summary>
    /// Whether this silo folds in the background. Off, it folds only when a report, trend, forecast or
    /// spend split on this silo asks (they catch up first, so their answers stay exact): for a large
    /// cluster that folds on a few silos, and for the benchmark that measures what folding costs.
    /// </summary>
    public bool Background { get; set; } = true;

    /// <summary>How often the background projector looks for new spend. Reports and trends also catch up before they answer.</summary>
    public TimeSpan ProjectionInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most ledger entries one fold (one transaction) takes.</summary>
    public int BatchSize { get; set; } = 5000;
}
