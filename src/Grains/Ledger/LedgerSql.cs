namespace BudgetActors.Grains.Ledger;

/// <summary>The statements of <see cref="PostgresSpendLedger"/>, on the schema of scripts/sql/40-budget-ledger.sql.</summary>
internal static class LedgerSql
{
    /// <summary>
    /// The advisory lock that all ledger writers once took exclusively ("BAledger" in ASCII), which
    /// made every transaction of every silo take turns. Writers now take it <em>shared</em> (shared
    /// holders never wait for each other) and order their commits with <see cref="TakePartitionLocks"/>.
    /// Held shared, it still excludes a writer that takes it exclusively: a silo of the version
    /// before partitions, during a rolling upgrade, or a test that wants every writer to wait.
    /// </summary>
    public const long WriterLockKey = 4774216262721430898;

    /// <summary>What a writer of the version before partitions took; now only for stopping every writer at once.</summary>
    public static readonly string TakeWriterLock = $"SELECT pg_advisory_xact_lock({WriterLockKey})";

    public static readonly string TakeWriterLockShared = $"SELECT pg_advisory_xact_lock_shared({WriterLockKey})";

    /// <summary>
    /// Takes the transaction-scoped lock of each partition in $1 (lock keys, see
    /// <see cref="LedgerPartitions.LockKey"/>), one after another in the array's order, which the
    /// caller makes ascending: two batches sharing partitions then take them in the same order and
    /// cannot deadlock. Held until the transaction's commit is visible, so the next writer of a
    /// partition takes its sequence values after every value of this one.
    /// </summary>
    public const string TakePartitionLocks = "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS l(k, ord) ORDER BY ord";

    /// <summary>The columns of a stored entry, in the order <see cref="LedgerRows"/> reads them.</summary>
    public const string Columns =
        "sequence, tenant_id, entry_key, kind, reservation_id, budget_ids, attributes, cost, tokens, operations, " +
        "expires_at, fingerprint, recorded_at, outcome, hold_sequence, budget_epochs, detail";

    private const string PrefixedColumns =
        "l.sequence, l.tenant_id, l.entry_key, l.kind, l.reservation_id, l.budget_ids, l.attributes, l.cost, l.tokens, " +
        "l.operations, l.expires_at, l.fingerprint, l.recorded_at, l.outcome, l.hold_sequence, l.budget_epochs, l.detail";

    /// <summary>
    /// Appends a batch of entries with distinct keys, given as one array per column ($1..$14, $16, $18;
    /// $15 is every entry's budget ids end to end and $17 their epochs, $5/$6 where each entry's
    /// slice of both starts and ends).
    /// One row per input: its position (ord, from 1), whether it was already stored, and the
    /// sequence — plus the whole stored row when it was. The outer SELECT reads the snapshot taken
    /// before the INSERT, so it sees exactly the rows that made the INSERT skip an input; taken
    /// after the partition locks, that snapshot holds every committed write of every other writer
    /// of these tenants (a key is unique per tenant, and a tenant is in one partition). An input
    /// the INSERT stored cannot be in that snapshot, so the lookup is made only for the others
    /// (the NOT EXISTS against the hashed INSERT results comes first): usually none.
    /// </summary>
    public const string AppendBatch =
        $"""
        WITH input AS (
            SELECT *
            FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::integer[], $6::integer[],
                        $7::text[], $8::numeric[], $9::bigint[], $10::bigint[], $11::timestamptz[], $12::text[],
                        $13::timestamptz[], $14::bytea[], $16::bigint[], $18::text[])
                 WITH ORDINALITY
                 AS i(tenant_id, entry_key, kind, reservation_id, first_budget, last_budget,
                      attributes, cost, tokens, operations, expires_at, fingerprint,
                      recorded_at, outcome, hold_sequence, detail, ord)
        ),
        inserted AS (
            INSERT INTO budget_ledger ({Columns})
            SELECT nextval('budget_ledger_sequence'), tenant_id, entry_key, kind, reservation_id,
                   ($15::text[])[first_budget:last_budget], attributes::jsonb, cost, tokens, operations,
                   expires_at, fingerprint, recorded_at, outcome, hold_sequence,
                   CASE WHEN kind = 1 THEN ($17::bigint[])[first_budget:last_budget] END, detail::jsonb
            FROM (SELECT * FROM input ORDER BY ord) AS in_order
            ON CONFLICT (budget_ledger_key(tenant_id, entry_key), tenant_id, entry_key) DO NOTHING
            RETURNING sequence, tenant_id, entry_key, budget_ids
        ),
        indexed AS (
            INSERT INTO budget_ledger_budgets (budget_key, sequence)
            SELECT DISTINCT budget_ledger_key(n.tenant_id, b.budget_id), n.sequence
            FROM inserted n CROSS JOIN LATERAL unnest(n.budget_ids) AS b(budget_id)
        )
        SELECT i.ord, false AS stored_before, n.sequence,
               NULL::text, NULL::text, NULL::smallint, NULL::text, NULL::text[], NULL::jsonb, NULL::numeric,
               NULL::bigint, NULL::bigint, NULL::timestamptz, NULL::text, NULL::timestamptz, NULL::bytea, NULL::bigint, NULL::bigint[], NULL::jsonb
        FROM input i JOIN inserted n ON n.tenant_id = i.tenant_id AND n.entry_key = i.entry_key
        UNION ALL
        SELECT i.ord, true, {PrefixedColumns}
        FROM input i JOIN budget_ledger l
            ON budget_ledger_key(l.tenant_id, l.entry_key) = budget_ledger_key(i.tenant_id, i.entry_key)
           AND l.tenant_id = i.tenant_id AND l.entry_key = i.entry_key
        WHERE NOT EXISTS (SELECT FROM inserted n WHERE n.tenant_id = i.tenant_id AND n.entry_key = i.entry_key)
        """;

    // Every read finds rows by budget_ledger_key (the leading column of its index) and then compares
    // the text itself: two names sharing a key cost a row read, never a wrong row.

    public const string Find =
        $"SELECT {Columns} FROM budget_ledger WHERE budget_ledger_key(tenant_id, entry_key) = budget_ledger_key($1, $2) AND tenant_id = $1 AND entry_key = $2";

    public const string ReadForBudget =
        $"""
        SELECT {PrefixedColumns}
        FROM budget_ledger_budgets b JOIN budget_ledger l ON l.sequence = b.sequence
        WHERE b.budget_key = budget_ledger_key($1, $2) AND b.sequence > $3
          AND l.tenant_id = $1 AND $2 = ANY (l.budget_ids)
        ORDER BY b.sequence
        """;

    public const string ReadForReservation =
        $"""
        SELECT {Columns} FROM budget_ledger
        WHERE budget_ledger_key(tenant_id, reservation_id) = budget_ledger_key($1, $2) AND tenant_id = $1 AND reservation_id = $2
        ORDER BY sequence
        """;

    /// <summary>
    /// A page of a tenant's spend, newest first ($1 tenant, $2 below this sequence, $3..$5 user, model,
    /// queue, $6/$7 since/until, $8 rows): a backward range scan of budget_ledger_spend, which holds only
    /// usage and commit rows. The filters are checked on the rows the scan meets.
    /// </summary>
    public static readonly string ReadSpend =
        $"""
        SELECT {Columns} FROM budget_ledger
        WHERE budget_ledger_key(tenant_id, '') = budget_ledger_key($1, '') AND kind IN (3, 4) AND sequence < $2
          AND tenant_id = $1 {SpendFilters}
        ORDER BY budget_ledger_key(tenant_id, ''), sequence DESC
        LIMIT $8
        """;

    /// <summary>As <see cref="ReadSpend"/>, of one budget ($9): a backward range scan of the budget's side-table rows.</summary>
    public static readonly string ReadSpendOfBudget =
        $"""
        SELECT {PrefixedColumns}
        FROM budget_ledger_budgets b JOIN budget_ledger l ON l.sequence = b.sequence
        WHERE b.budget_key = budget_ledger_key($1, $9) AND b.sequence < $2
          AND l.kind IN (3, 4) AND l.tenant_id = $1 AND $9 = ANY (l.budget_ids) {SpendFilters.Replace("attributes", "l.attributes").Replace("detail", "l.detail").Replace("recorded_at", "l.recorded_at")}
        ORDER BY b.sequence DESC
        LIMIT $8
        """;

    // A model is the attribute, else the model the detail was priced as (SpendDimension.ValueOf).
    private const string SpendFilters =
        """
        AND ($3::text IS NULL OR attributes ->> 'user' = $3)
          AND ($4::text IS NULL OR coalesce(attributes ->> 'model', detail ->> 'model') = $4)
          AND ($5::text IS NULL OR attributes ->> 'queue' = $5)
          AND ($6::timestamptz IS NULL OR recorded_at >= $6)
          AND ($7::timestamptz IS NULL OR recorded_at < $7)
        """;

    /// <summary>
    /// The last sequence value handed out (0 before the first). Read before <see cref="AwaitPartitionWriters"/>,
    /// every entry at or below it has then committed (or never will).
    /// </summary>
    public const string LastSequence = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM budget_ledger_sequence";

    /// <summary>
    /// Waits for the writer of each partition that is in flight now, one partition at a time: its lock
    /// taken shared and let go at once (session locks, so nothing is held past a partition's turn),
    /// so a writer waits at most for that turn, never for a read. A writer takes its values only
    /// while it holds its partition's lock, and lets go only once its commit is visible: when this
    /// returns, every value handed out before it began belongs to a committed entry, a rolled-back
    /// one, or none.
    /// </summary>
    public static readonly string AwaitPartitionWriters =
        $"""
        DO $await$
        BEGIN
            FOR p IN 0..{LedgerPartitions.Count - 1} LOOP
                PERFORM pg_advisory_lock_shared({LedgerPartitions.FirstLockKey} + p);
                PERFORM pg_advisory_unlock_shared({LedgerPartitions.FirstLockKey} + p);
            END LOOP;
        END
        $await$
        """;

    /// <summary>Spend entries of every tenant in ($1, $2], in sequence order, at most $3: a range scan of the primary key.</summary>
    public static readonly string ReadSpendAfter =
        $"SELECT {Columns} FROM budget_ledger WHERE sequence > $1 AND sequence <= $2 AND kind IN (3, 4) ORDER BY sequence LIMIT $3";
}
