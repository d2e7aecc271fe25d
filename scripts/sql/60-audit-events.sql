-- BudgetActors schema, part 6: the audit trail (src/Grains/Audit/PostgresAuditLog.cs).
--
-- One row per event: a change someone made (budget.created, key.revoked, override.approved, ...) or
-- a fact the system noticed (threshold.crossed, period.closed, alert.delivered, ...), with the key id
-- that caused it (or 'system') and its details as a JSON object. Rows are only ever inserted.
--
-- Ids come from audit_event_sequence. Writers take a transaction-scoped advisory lock per tenant
-- partition (the ledger's 64 partitions of tenants, with lock keys of their own) before they take
-- ids, so within a tenant ids are handed out in commit order: a reader paging through a tenant's
-- trail by id never misses an event that commits later with a smaller id.

CREATE SEQUENCE IF NOT EXISTS audit_event_sequence AS bigint CACHE 1;

CREATE TABLE IF NOT EXISTS audit_events
(
    id        bigint      NOT NULL,
    tenant_id text        NOT NULL,
    type      text        NOT NULL,
    at        timestamptz NOT NULL,
    actor     text        NOT NULL,
    budget_id text        NULL,
    data      jsonb       NOT NULL,
    CONSTRAINT audit_events_pk PRIMARY KEY (tenant_id, id)
);

-- The trail of one budget, and of one type, each in id order.
CREATE INDEX IF NOT EXISTS audit_events_by_budget ON audit_events (tenant_id, budget_id, id) WHERE budget_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_events_by_type ON audit_events (tenant_id, type, id);
