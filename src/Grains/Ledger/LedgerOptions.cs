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
    /// How many batches the ledger can have in flight at once: tenants are spread over this many
    /// writer loops by partition, each writing its own batches on its own connection. More than one
    /// lets PostgreSQL work on several batches at once (and keeps a partition that another silo
    /// holds from stalling the rest); each loop's batches are smaller, though, and group commit
    /// amortises less per transaction. At most <see cref="LedgerPartitions.Count"/>.
    /// </summary>
    public int Writers { get; set; } = 2;

    /// <summary>
    /// The baseline the benchmark compares group commit with: every append in its own transaction
    /// on its own pooled connection, with the same SQL and the same ordering locks. Not for production.
    /// </summary>
    internal bool OneRowPerCommit { get; set; }
}
