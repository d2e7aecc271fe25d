-- BudgetActors schema, part 4: the spend ledger (src/Grains/Ledger/PostgresSpendLedger.cs).
--
-- One row per durable fact about spend: a hold, its release, a reservation's commit, or usage
-- recorded without a reservation. Rows are only ever inserted. A budget grain's snapshot names the
-- last sequence it has folded in (its watermark); on reactivation it replays the rows of its
-- budget after that watermark.
--
-- Sequence numbers are unique across the ledger, taken from budget_ledger_sequence. Tenants are
-- hashed into 64 partitions (LedgerPartitions.cs), and a writer takes the transaction-scoped
-- advisory lock of each partition it writes before it takes values for that partition's rows
-- (see the C# writer; the locks live in no table, so this file creates nothing for them). So
-- within a partition values are handed out in commit order across every process writing this
-- database: once a reader has seen sequence N of a tenant (of a budget), no entry of that tenant
-- below N can appear later. Writers of different partitions commit independently, and between
-- partitions sequences say nothing about commit order. Gaps are normal (a rolled-back or
-- conflicting insert consumes a value).

-- CACHE 1 (the default) matters: with a per-session cache, two sessions would hold interleaved
-- ranges and hand out numbers in an order unrelated to their commits, even within a partition.
CREATE SEQUENCE IF NOT EXISTS budget_ledger_sequence AS bigint CACHE 1;

CREATE TABLE IF NOT EXISTS budget_ledger
(
    sequence       bigint        NOT NULL,
    tenant_id      text          NOT NULL,
    -- The idempotency key ('usage:{key}', 'hold:{reservation}', ...): a retry finds the first row.
    entry_key      text          NOT NULL,
    -- LedgerEntryKind: 1 hold, 2 release, 3 commit, 4 usage, 5 refusal, 6 void, 7 fence (checked by
    -- the application, so that a new kind needs no migration here).
    kind           smallint      NOT NULL,
    reservation_id text          NULL,
    -- The budgets the entry applies to, in the order the application gave them.
    budget_ids     text[]        NOT NULL,
    -- The request's attributes (string to string), kept for audit and history queries.
    attributes     jsonb         NOT NULL,
    -- Money is exact: numeric with the six decimal places of Amount.CostScale, never a float.
    cost           numeric(28,6) NOT NULL,
    tokens         bigint        NOT NULL,
    operations     bigint        NOT NULL,
    expires_at     timestamptz   NULL,
    -- A hash of the request, to tell a retry from a different request reusing the key.
    fingerprint    text          NOT NULL,
    recorded_at    timestamptz   NOT NULL,
    -- The answer given for the entry (opaque to the database), replayed to retries.
    outcome        bytea         NULL,
    -- A commit, release or void names the sequence of its reservation's hold entry, so a budget that
    -- sees it first knows which late hold not to bring back, and for how long to remember.
    hold_sequence  bigint        NULL,
    -- A hold carries, for each of budget_ids, the epoch (fence sequence) of the budget activation that
    -- held it tentatively; a budget honours it only if no newer fence of its own lies between.
    budget_epochs  bigint[]      NULL,
    CONSTRAINT budget_ledger_pkey PRIMARY KEY (sequence),
    -- Idempotency: an append is INSERT ... ON CONFLICT (tenant_id, entry_key) DO NOTHING.
    CONSTRAINT budget_ledger_entry_key UNIQUE (tenant_id, entry_key)
);

-- Ledgers created before hold_sequence and budget_epochs existed gain them here (no rewrite: both are
-- nullable without a default).
ALTER TABLE budget_ledger ADD COLUMN IF NOT EXISTS hold_sequence bigint NULL;
ALTER TABLE budget_ledger ADD COLUMN IF NOT EXISTS budget_epochs bigint[] NULL;

-- "Every entry of reservation R" (hold, release, commit): a handful of rows per reservation.
CREATE INDEX IF NOT EXISTS budget_ledger_reservation
    ON budget_ledger (tenant_id, reservation_id, sequence)
    WHERE reservation_id IS NOT NULL;

-- "Entries of budget B of tenant T after sequence N" is the replay of a reactivating budget grain.
-- A GIN index on budget_ids would find every entry the budget ever had and then filter and sort
-- them by sequence, which grows with the budget's whole history; this side table, one row per
-- (entry, budget), makes the replay a range scan of its primary key that starts at the watermark
-- and comes out in sequence order. The writer fills it in the same statement as budget_ledger
-- (no foreign key: it would add a trigger per row to every batch for a link that one statement
-- already keeps).
CREATE TABLE IF NOT EXISTS budget_ledger_budgets
(
    tenant_id text   NOT NULL,
    budget_id text   NOT NULL,
    sequence  bigint NOT NULL,
    CONSTRAINT budget_ledger_budgets_pkey PRIMARY KEY (tenant_id, budget_id, sequence)
);
