namespace BudgetActors.Grains.Ledger;

/// <summary>How the PostgreSQL ledger writes (configuration section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>
    /// The most entries one transaction carries. Whatever is pending when the writer is free goes
    /// in the next batch, up to this; a bigger batch amortises the round trip and the WAL flush
    /// further but makes the statement (and every caller in it) wait longer.
    /// </summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// The baseline the benchmark compares group commit with: every append in its own transaction
    /// on its own pooled connection, with the same SQL and the same ordering lock. Not for production.
    /// </summary>
    internal bool OneRowPerCommit { get; set; }
}
