-- BudgetActors schema, part 5: the alert outbox (src/Alerts/Outbox/PostgresAlertOutbox.cs).
--
-- One row per delivery of an alert to a channel (an alert's own channels and, later, its
-- escalation channels are separate rows). Grains insert rows; each silo's delivery worker claims
-- due rows with FOR UPDATE SKIP LOCKED and a lease (claimed_until, claim_token), sends, and records
-- the outcome: delivered, a retry at next_attempt_at, or failed. A worker that dies holding a claim
-- loses it when the lease runs out, and another worker takes the row again. All times are written
-- by the workers from their own clocks (TimeProvider), not by now(), so tests can drive them.

CREATE TABLE IF NOT EXISTS alert_outbox
(
    id              bigint       GENERATED ALWAYS AS IDENTITY,
    tenant_id       text         NOT NULL,
    -- The webhook-id of every attempt, derived from (tenant, alert, channel, purpose): an enqueue
    -- retried after a crash inserts nothing (ON CONFLICT DO NOTHING on the unique key below).
    message_id      text         NOT NULL,
    alert_id        text         NOT NULL,
    channel_id      text         NOT NULL,
    -- The AlertNotice (NoticeJson.cs); jsonb keeps numeric scale, so 8.00 stays 8.00.
    notice          jsonb        NOT NULL,
    status          text         NOT NULL DEFAULT 'pending',
    -- Tries started, counted at claim time: a try whose worker died may have reached the receiver.
    attempts        integer      NOT NULL DEFAULT 0,
    next_attempt_at timestamptz  NOT NULL,
    last_error      text         NULL,
    -- The lease of the worker sending the current attempt; null when nobody holds the row.
    claimed_until   timestamptz  NULL,
    claim_token     uuid         NULL,
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    CONSTRAINT alert_outbox_pkey PRIMARY KEY (id),
    CONSTRAINT alert_outbox_message UNIQUE (tenant_id, message_id),
    CONSTRAINT alert_outbox_status CHECK (status IN ('pending', 'delivered', 'failed')),
    CONSTRAINT alert_outbox_attempts CHECK (attempts >= 0)
);

-- The claim: pending rows by due time. Finished rows (most of the table) are not in the index.
CREATE INDEX IF NOT EXISTS alert_outbox_due
    ON alert_outbox (next_attempt_at, id)
    WHERE status = 'pending';

-- "The deliveries of alert A" (the alert feed's statuses).
CREATE INDEX IF NOT EXISTS alert_outbox_alert
    ON alert_outbox (tenant_id, alert_id);

-- The purge of finished rows past their retention.
CREATE INDEX IF NOT EXISTS alert_outbox_finished
    ON alert_outbox (updated_at)
    WHERE status <> 'pending';
