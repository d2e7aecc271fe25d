-- BudgetActors schema, part 0: the table of named queries that Orleans' ADO.NET providers run.
--
-- The providers (clustering, grain storage, reminders) issue no SQL of their own: at start they
-- read every (QueryKey, QueryText) row of OrleansQuery and run those texts with named parameters
-- (@DeploymentId, @GrainId, ...), reading result columns by name. The files 10-30 fill this table.
-- Every file of scripts/sql can be applied again: tables and indexes are created only when
-- missing, columns that an older version created narrower are widened, functions are replaced,
-- queries are upserted.

-- Both columns hold only this repository's own constants (the longest key has 31 characters, the
-- longest text under 500): a longer one would fail here, at apply time, not in production.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- Upserts one named query; used by the files that follow.
CREATE OR REPLACE FUNCTION budget_actors_define_query(query_key varchar, query_text varchar)
RETURNS void LANGUAGE sql AS
$$
    INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (query_key, query_text)
    ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
$$;

-- Makes a column text unless it is text already. Tables created by an older version of these
-- scripts had varchar(n) id columns that real ids overflow; CREATE TABLE IF NOT EXISTS leaves such
-- a table as it is, so each file widens its columns with this after creating its tables.
-- varchar -> text changes no stored byte and keeps every index (same storage, same operator
-- class), so PostgreSQL neither rewrites the table nor rebuilds its indexes; ALTER TABLE still
-- takes an exclusive lock for a moment, which is why a column that is text already is left alone:
-- applying the schema again under a running cluster must not make it wait.
CREATE OR REPLACE FUNCTION budget_actors_widen_to_text(table_name regclass, column_name name)
RETURNS void LANGUAGE plpgsql AS
$$
BEGIN
    IF (SELECT atttypid FROM pg_attribute
         WHERE attrelid = table_name AND attname = lower(column_name) AND attnum > 0 AND NOT attisdropped)
       IS DISTINCT FROM 'text'::regtype THEN
        -- A column that does not exist fails here, loudly, rather than being skipped.
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE text', table_name, lower(column_name));
    END IF;
END
$$;
