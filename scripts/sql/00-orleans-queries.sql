-- BudgetActors schema, part 0: the table of named queries that Orleans' ADO.NET providers run.
--
-- The providers (clustering, grain storage, reminders) issue no SQL of their own: at start they
-- read every (QueryKey, QueryText) row of OrleansQuery and run those texts with named parameters
-- (@DeploymentId, @GrainId, ...), reading result columns by name. The files 10-30 fill this table.
-- Every file of scripts/sql can be applied again: tables and indexes are created only when
-- missing, functions are replaced, queries are upserted.

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
