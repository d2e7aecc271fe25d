-- BudgetActors schema, part 7: daily spend aggregates (src/Grains/Reports/PostgresSpendAggregates.cs),
-- what GET /v1/tenants/{t}/report and .../budgets/{b}/trend read.
--
-- Derived data: a background projector on each silo (SpendProjector) folds the ledger's usage and
-- commit rows (budget_ledger, kinds 4 and 3) after the watermark into one row per tenant, budget
-- ('' for the whole tenant), dimension, value and day of the tenant's time zone. A fold writes its
-- rows and moves the watermark in one transaction that first locks the watermark row, so a crash
-- never counts an entry twice, and projectors of several silos take turns. The watermark is a
-- ledger sequence below which every usage and commit has been folded: the projector reads only up
-- to a horizon below which every writer has committed (see LedgerSql.AwaitPartitionWriters).
--
-- Lost or suspect? Rebuild from the ledger (the projector starts again at sequence 0):
--   BEGIN; DELETE FROM spend_daily; UPDATE spend_aggregate_watermark SET watermark = 0; COMMIT;

CREATE TABLE IF NOT EXISTS spend_daily
(
    tenant_id   text          NOT NULL,
    -- '' for the tenant's own rows (no budget id is empty), else a budget the charges were charged to.
    budget_id   text          NOT NULL,
    -- total, queue, model, user, project; the tenant's rows also budget and user-model (SpendDimension.cs).
    dimension   text          NOT NULL,
    -- The attribute's value ('' when the charge had none, and for total); user-model: 'user|model'.
    value       text          NOT NULL,
    -- A date of the tenant's time zone: the day of the charge's time (a back-dated usage's own day).
    day         date          NOT NULL,
    charges     bigint        NOT NULL,
    -- Exact sums: numeric without a bound, as totals grow without one.
    cost        numeric       NOT NULL,
    tokens      numeric       NOT NULL,
    operations  numeric       NOT NULL,
    min_cost    numeric(28,6) NOT NULL,
    max_cost    numeric(28,6) NOT NULL,
    -- Cost by component: input, cachedInput, output, reasoning, cpu, memory, payload, ops, network, other.
    components  numeric[]     NOT NULL,
    -- LLM tokens by kind: input, cached input, cache write, output, reasoning.
    llm_tokens  numeric[]     NOT NULL,
    -- The cost-per-charge quantile sketch (QuantileSketch.cs: 'zeros;index:count,...', 1 % relative accuracy).
    sketch      text          NOT NULL,
    -- A report reads (tenant, '', dimension, a range of days); a trend (tenant, budget, 'total', a range).
    CONSTRAINT spend_daily_pkey PRIMARY KEY (tenant_id, budget_id, dimension, day, value)
);

CREATE TABLE IF NOT EXISTS spend_aggregate_watermark
(
    id        smallint NOT NULL,
    watermark bigint   NOT NULL,
    CONSTRAINT spend_aggregate_watermark_pkey PRIMARY KEY (id),
    CONSTRAINT spend_aggregate_watermark_one CHECK (id = 1)
);
