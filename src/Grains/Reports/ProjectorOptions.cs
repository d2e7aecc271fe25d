namespace BudgetActors.Grains.Reports;

/// <summary>How the daily aggregates follow the ledger (configuration section <c>Reports</c>).</summary>
public sealed class ProjectorOptions
{
    public const string Section = "Reports";

    /// <summary>How often the background projector looks for new spend. Reports and trends also catch up before they answer.</summary>
    public TimeSpan ProjectionInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most ledger entries one fold (one transaction) takes.</summary>
    public int BatchSize { get; set; } = 5000;
}
