-- BudgetActors schema, part 2: grain state for Orleans' ADO.NET grain storage provider
-- (Microsoft.Orleans.Persistence.AdoNet 10.x, invariant "Npgsql").
--
-- Contract: one row per grain (type + id + service). Version is the ETag: a write names the
-- version it read and succeeds only if the row still has it (optimistic concurrency); a first
-- write names no version and succeeds only if there is no row. The answer is the new version, or
-- the old one when the write lost, which the provider turns into an InconsistentStateException.
-- The provider of Orleans 10 sends only the binary payload (PayloadBinary); the JSON and XML
-- columns are still read by name, so they exist, and stay empty.

-- Strings are text, not varchar(n). GrainIdExtensionString is a grain's whole string key, without
-- the type: tenant/budget reaches 257 characters (two ids of up to 128), tenant/user 385 (a user is
-- an attribute value of up to 256). GrainTypeString is the state's name; ServiceId is
-- configuration, which Orleans does not limit.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer       NOT NULL,
    GrainIdN0              bigint        NOT NULL,
    GrainIdN1              bigint        NOT NULL,
    GrainTypeHash          integer       NOT NULL,
    GrainTypeString        text          NOT NULL,
    GrainIdExtensionString text          NULL,
    ServiceId              text          NOT NULL,
    PayloadBinary          bytea         NULL,
    PayloadXml             xml           NULL,
    PayloadJson            text          NULL,
    ModifiedOn             timestamp     NOT NULL,
    Version                integer       NULL
);

-- Tables created before these columns were text (varchar(512), varchar(512), varchar(150)).
SELECT budget_actors_widen_to_text('OrleansStorage', column_name)
  FROM unnest(ARRAY['GrainTypeString', 'GrainIdExtensionString', 'ServiceId']) AS column_name;

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- A grain's row, whatever the extension string (NULL matches NULL).
CREATE OR REPLACE FUNCTION budget_actors_storage_matches(
    stored OrleansStorage, id_hash integer, id_n0 bigint, id_n1 bigint, type_hash integer,
    type_name varchar, id_extension varchar, service varchar)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$
    SELECT stored.GrainIdHash = id_hash AND stored.GrainTypeHash = type_hash
       AND stored.GrainIdN0 = id_n0 AND stored.GrainIdN1 = id_n1
       AND stored.GrainTypeString = type_name AND stored.ServiceId = service
       AND stored.GrainIdExtensionString IS NOT DISTINCT FROM id_extension;
$$;

CREATE OR REPLACE FUNCTION budget_actors_storage_write(
    id_hash integer, id_n0 bigint, id_n1 bigint, type_hash integer, type_name varchar,
    id_extension varchar, service varchar, expected_version integer, payload_binary bytea)
RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS
$$
DECLARE
    changed integer := 0;
BEGIN
    IF expected_version IS NOT NULL THEN
        UPDATE OrleansStorage s
           SET PayloadBinary = payload_binary, PayloadJson = NULL, PayloadXml = NULL,
               ModifiedOn = (now() AT TIME ZONE 'utc'), Version = s.Version + 1
         WHERE budget_actors_storage_matches(s, id_hash, id_n0, id_n1, type_hash, type_name, id_extension, service)
           AND s.Version = expected_version;
        GET DIAGNOSTICS changed = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN changed > 0 THEN expected_version + 1 ELSE expected_version END;
        RETURN;
    END IF;

    -- First write of this grain: two activations racing (a split brain) must not both succeed,
    -- so take a lock on the grain's hash for the rest of the transaction before looking.
    PERFORM pg_advisory_xact_lock(id_hash);
    INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                GrainIdExtensionString, ServiceId, PayloadBinary, PayloadJson, PayloadXml,
                                ModifiedOn, Version)
    SELECT id_hash, id_n0, id_n1, type_hash, type_name, id_extension, service,
           payload_binary, NULL, NULL, (now() AT TIME ZONE 'utc'), 1
     WHERE NOT EXISTS (SELECT 1 FROM OrleansStorage s
                        WHERE budget_actors_storage_matches(s, id_hash, id_n0, id_n1, type_hash, type_name, id_extension, service));
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN QUERY SELECT CASE WHEN changed > 0 THEN 1 ELSE NULL::integer END;
END
$$;

SELECT budget_actors_define_query('WriteToStorageKey',
    'SELECT * FROM budget_actors_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);');

SELECT budget_actors_define_query('ReadFromStorageKey',
    'SELECT PayloadBinary, PayloadXml, PayloadJson, (now() AT TIME ZONE ''utc'') AS ReadOn, Version
       FROM OrleansStorage s
      WHERE budget_actors_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
            @GrainTypeString, @GrainIdExtensionString, @ServiceId);');

-- Clearing keeps the row (and bumps its version) so that the ETag sequence never restarts.
SELECT budget_actors_define_query('ClearStorageKey',
    'UPDATE OrleansStorage s
        SET PayloadBinary = NULL, PayloadJson = NULL, PayloadXml = NULL, Version = s.Version + 1
      WHERE budget_actors_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
            @GrainTypeString, @GrainIdExtensionString, @ServiceId)
        AND s.Version = @GrainStateVersion
     RETURNING s.Version AS NewGrainStateVersion;');

SELECT budget_actors_define_query('DeleteStorageKey',
    'DELETE FROM OrleansStorage s
      WHERE budget_actors_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
            @GrainTypeString, @GrainIdExtensionString, @ServiceId)
        AND s.Version = @GrainStateVersion;');
