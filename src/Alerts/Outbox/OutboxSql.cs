namespace BudgetActors.Alerts;

/// <summary>The statements of <see cref="PostgresAlertOutbox"/> (table: scripts/sql/50-alert-outbox.sql).</summary>
internal static class OutboxSql
{
    public const string Enqueue = """
        INSERT INTO alert_outbox (tenant_id, message_id, alert_id, channel_id, notice, status, attempts, next_attempt_at, created_at, updated_at)
        SELECT r.tenant_id, r.message_id, r.alert_id, r.channel_id, r.notice::jsonb, 'pending', 0, @now, @now, @now
        FROM unnest(@tenants, @messages, @alerts, @channels, @notices) AS r(tenant_id, message_id, alert_id, channel_id, notice)
        ON CONFLICT (tenant_id, message_id) DO NOTHING
        """;

    // SKIP LOCKED: a row another worker is claiming right now is skipped, not waited for. Once that
    // claim commits, claimed_until is in the future and the row no longer qualifies (PostgreSQL
    // re-checks the WHERE clause on the newest row version before locking it), so two workers never
    // hold the same row; after the lease it qualifies again.
    public const string Claim = """
        WITH due AS (
            SELECT id FROM alert_outbox
            WHERE status = 'pending' AND next_attempt_at <= @now
              AND (claimed_until IS NULL OR claimed_until <= @now)
              AND NOT (tenant_id = ANY(@excluded))
            ORDER BY next_attempt_at, id
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        UPDATE alert_outbox AS o
        SET attempts = o.attempts + 1, claimed_until = @lease, claim_token = @token, updated_at = @now
        FROM due
        WHERE o.id = due.id
        RETURNING o.id, o.tenant_id, o.alert_id, o.channel_id, o.message_id, o.notice::text, o.attempts, o.created_at
        """;

    public const string Complete = """
        UPDATE alert_outbox
        SET status = @status, last_error = COALESCE(@error, last_error), next_attempt_at = COALESCE(@next, next_attempt_at),
            claimed_until = NULL, claim_token = NULL, updated_at = @at
        WHERE id = @id AND claim_token = @token
        """;

    public const string Release = """
        UPDATE alert_outbox
        SET attempts = attempts - 1, claimed_until = NULL, claim_token = NULL
        WHERE id = @id AND claim_token = @token
        """;

    public const string List = """
        SELECT tenant_id, alert_id, channel_id, message_id, status, attempts, last_error, next_attempt_at, created_at, updated_at
        FROM alert_outbox
        WHERE tenant_id = @tenant AND alert_id = @alert
        ORDER BY created_at, id
        """;

    public const string Purge = "DELETE FROM alert_outbox WHERE status <> 'pending' AND updated_at < @before";
}
