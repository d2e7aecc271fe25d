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

-- The 64-bit key of a name (a budget, an idempotency key, a reservation) within a tenant, which the
-- ledger's indexes lead with: a btree descends by comparing bigints, not by comparing the tenant's
-- text and then the name's (which took about a fifth of the backend's CPU per entry). A key is not unique:
-- every read that finds rows by a key also compares the tenant and the name themselves, so two
-- names that share a key cost a row read, never a wrong answer; what must be unique (an entry's key
-- within its tenant) is unique on the text columns too.
-- Part of the ledger's format: the indexes store its values, so it must never change (a different
-- body would make them disagree with the rows). hashtextextended is PostgreSQL's own hash of text
-- (the one behind hash indexes and hash partitioning, which pg_upgrade keeps working); its values
-- can differ between CPU architectures of different byte order, so a logical copy of the ledger
-- (pg_dump) restored on such a server must rebuild the keys stored in budget_ledger_budgets (see
-- "Rebuilding the keys" below; the restore builds the indexes anew itself). A SQL function of a single
-- expression, so PostgreSQL inlines it: it costs what hashtextextended costs.
CREATE OR REPLACE FUNCTION budget_ledger_key(tenant_id text, name text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT hashtextextended($2, hashtextextended($1, 0))';

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
    -- How a usage or commit was priced (model and tokens by kind, or a job's resources, with the cost
    -- of each part in the tenant's currency); NULL for a stated amount and for other kinds.
    detail         jsonb         NULL,
    CONSTRAINT budget_ledger_pkey PRIMARY KEY (sequence)
);

-- Ledgers created before hold_sequence, budget_epochs and detail existed gain them here (no rewrite:
-- each is nullable without a default; older rows have no detail).
ALTER TABLE budget_ledger ADD COLUMN IF NOT EXISTS hold_sequence bigint NULL;
ALTER TABLE budget_ledger ADD COLUMN IF NOT EXISTS budget_epochs bigint[] NULL;
ALTER TABLE budget_ledger ADD COLUMN IF NOT EXISTS detail jsonb NULL;

-- "Entries of budget B of tenant T after sequence N" is the replay of a reactivating budget grain.
-- A GIN index on budget_ids would find every entry the budget ever had and then filter and sort
-- them by sequence, which grows with the budget's whole history; this side table, one row per
-- (entry, budget), makes the replay a range scan of its primary key that starts at the watermark
-- and comes out in sequence order. The writer fills it in the same statement as budget_ledger (no
-- foreign key: it would add a trigger per row to every batch for a link that one statement already
-- keeps). A row is two bigints: budget_key = budget_ledger_key(tenant, budget) and the entry's
-- sequence; the read compares the entry's tenant and budget_ids, so a budget sharing another's key
-- never sees its entries. An entry that names two budgets of one key has one row for both.
CREATE TABLE IF NOT EXISTS budget_ledger_budgets
(
    budget_key bigint NOT NULL,
    sequence   bigint NOT NULL,
    CONSTRAINT budget_ledger_budgets_pkey PRIMARY KEY (budget_key, sequence)
);

-- Upgrading a ledger of the version before keys, in place (each step once: applied again, this
-- finds nothing to do). That version had a unique constraint on (tenant_id, entry_key), an index
-- on (tenant_id, reservation_id, sequence), and budget_ledger_budgets with the budget's tenant and
-- id as text. Every silo of that version must be stopped first: it writes and reads the old side
-- table, which is gone afterwards, so it would fail every ledger write and read (503s, never a
-- wrong answer) until it is replaced. The new side table is filled from budget_ledger.budget_ids
-- (the old one held nothing more). Building the indexes takes a lock that stops writes to
-- budget_ledger, for about as long as reading the table once.
DO $upgrade$
BEGIN
    IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'budget_ledger'::regclass AND conname = 'budget_ledger_entry_key') THEN
        ALTER TABLE budget_ledger DROP CONSTRAINT budget_ledger_entry_key;
    END IF;
    IF EXISTS (SELECT FROM pg_index WHERE indexrelid = to_regclass('budget_ledger_reservation') AND indexprs IS NULL) THEN
        DROP INDEX budget_ledger_reservation;
    END IF;
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'budget_ledger_budgets'::regclass AND attname = 'budget_id' AND NOT attisdropped) THEN
        DROP TABLE budget_ledger_budgets;
        CREATE TABLE budget_ledger_budgets
        (
            budget_key bigint NOT NULL,
            sequence   bigint NOT NULL,
            CONSTRAINT budget_ledger_budgets_pkey PRIMARY KEY (budget_key, sequence)
        );
        INSERT INTO budget_ledger_budgets (budget_key, sequence)
        SELECT DISTINCT budget_ledger_key(l.tenant_id, b.budget_id), l.sequence
        FROM budget_ledger l CROSS JOIN LATERAL unnest(l.budget_ids) AS b(budget_id);
    END IF;
END
$upgrade$;

-- Idempotency: an append is INSERT ... ON CONFLICT (budget_ledger_key(tenant_id, entry_key),
-- tenant_id, entry_key) DO NOTHING, and a retry finds the first row by the same three.
CREATE UNIQUE INDEX IF NOT EXISTS budget_ledger_entry_key
    ON budget_ledger (budget_ledger_key(tenant_id, entry_key), tenant_id, entry_key);

-- "Every entry of reservation R" (hold, release, commit): a handful of rows per reservation, in
-- sequence order; the read compares tenant_id and reservation_id as well.
CREATE INDEX IF NOT EXISTS budget_ledger_reservation
    ON budget_ledger (budget_ledger_key(tenant_id, reservation_id), sequence)
    WHERE reservation_id IS NOT NULL;

-- "A tenant's spend, newest first" (GET /v1/tenants/{t}/records): a backward range scan from a
-- cursor. Only usage (4) and commit (3) rows are in it, so holds, releases and the rest cost it
-- nothing; led by the tenant's 64-bit key (budget_ledger_key with an empty name) like the other
-- indexes, the read compares tenant_id as well. Records of one budget use budget_ledger_budgets.
-- On a large existing ledger, build it first with CREATE INDEX CONCURRENTLY (same definition) to
-- keep writes going; this statement then finds it.
CREATE INDEX IF NOT EXISTS budget_ledger_spend
    ON budget_ledger (budget_ledger_key(tenant_id, ''), sequence)
    WHERE kind IN (3, 4);

-- Rebuilding the keys (only after restoring a logical copy on a server whose hashtextextended
-- differs, see budget_ledger_key above; not run by this file):
--   BEGIN;
--   TRUNCATE budget_ledger_budgets;
--   INSERT INTO budget_ledger_budgets SELECT DISTINCT budget_ledger_key(l.tenant_id, b.budget_id), l.sequence
--   FROM budget_ledger l CROSS JOIN LATERAL unnest(l.budget_ids) AS b(budget_id);
--   COMMIT;
