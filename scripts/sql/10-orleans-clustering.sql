-- BudgetActors schema, part 1: cluster membership for Orleans' ADO.NET clustering provider
-- (Microsoft.Orleans.Clustering.AdoNet 10.x, invariant "Npgsql").
--
-- Contract: the provider keeps one version row per cluster (DeploymentId = ClusterId) and one row
-- per silo incarnation. Every change to membership must bump the version row in the same
-- transaction, and must fail (answer 0) when the caller's expected version is stale: that is how
-- silos agree on membership without a lock service.

-- Strings are text, not varchar(n): a limit only turns a value nobody measured into an error at
-- run time. DeploymentId is the configured ClusterId and SiloName a configured name, neither
-- limited by Orleans; HostName is the machine's (a DNS name takes up to 253 characters); Address is
-- an IP address as text, and an IPv6 one with its zone (fe80::1%eth0) can pass the 45 characters
-- of the widest form without one; SuspectTimes lists every silo's suspicion of this one, so grows
-- with the cluster. The one cap left is PostgreSQL's on a B-tree entry (about 2,700 bytes for a
-- whole key), far above any key made of these.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text           NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text           NOT NULL,
    Address      text           NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     text           NOT NULL,
    HostName     text           NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Tables created before these columns were text (they were varchar(45) to varchar(8000)).
SELECT budget_actors_widen_to_text('OrleansMembershipVersionTable', 'DeploymentId');
SELECT budget_actors_widen_to_text('OrleansMembershipTable', column_name)
  FROM unnest(ARRAY['DeploymentId', 'Address', 'SiloName', 'HostName', 'SuspectTimes']) AS column_name;

-- 1 when the cluster's version row was created, 0 when it already existed.
CREATE OR REPLACE FUNCTION budget_actors_membership_version_insert(cluster varchar)
RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    created integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (cluster)
    ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS created = ROW_COUNT;
    RETURN created;
END
$$;

-- Every membership change bumps the cluster's version, and only from the version the caller read.
CREATE OR REPLACE FUNCTION budget_actors_membership_version_bump(cluster varchar, expected_version integer)
RETURNS boolean LANGUAGE sql AS
$$
    WITH bumped AS (
        UPDATE OrleansMembershipVersionTable
           SET Version = Version + 1, Timestamp = now()
         WHERE DeploymentId = cluster AND Version = expected_version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM bumped);
$$;

-- Adds a silo row and bumps the version, both or neither: 1 on success, 0 when the row exists
-- already or the expected version is stale.
CREATE OR REPLACE FUNCTION budget_actors_membership_insert(
    cluster varchar, silo_address varchar, silo_port integer, silo_generation integer,
    silo_name varchar, host_name varchar, silo_status integer, proxy_port integer,
    start_time timestamptz, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    changed integer;
BEGIN
    IF NOT budget_actors_membership_version_bump(cluster, expected_version) THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (cluster, silo_address, silo_port, silo_generation, silo_name, host_name, silo_status, proxy_port, start_time, alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
        -- Raising undoes the version bump: a block with an EXCEPTION clause runs as a subtransaction.
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'budget_actors: membership row exists';
    END IF;
    RETURN 1;
EXCEPTION
    WHEN raise_exception THEN
        RETURN 0;
END
$$;

-- Updates a silo row and bumps the version, both or neither: 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION budget_actors_membership_update(
    cluster varchar, silo_address varchar, silo_port integer, silo_generation integer,
    silo_status integer, suspect_times varchar, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS
$$
DECLARE
    changed integer;
BEGIN
    IF NOT budget_actors_membership_version_bump(cluster, expected_version) THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable
       SET Status = silo_status, SuspectTimes = suspect_times, IAmAliveTime = alive_time
     WHERE DeploymentId = cluster AND Address = silo_address AND Port = silo_port AND Generation = silo_generation;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'budget_actors: no such membership row';
    END IF;
    RETURN 1;
EXCEPTION
    WHEN raise_exception THEN
        RETURN 0;
END
$$;

SELECT budget_actors_define_query('InsertMembershipVersionKey',
    'SELECT budget_actors_membership_version_insert(@DeploymentId);');

SELECT budget_actors_define_query('InsertMembershipKey',
    'SELECT budget_actors_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName,
        @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);');

SELECT budget_actors_define_query('UpdateMembershipKey',
    'SELECT budget_actors_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version);');

-- Heartbeats do not touch the version: they are not membership changes.
SELECT budget_actors_define_query('UpdateIAmAlivetimeKey',
    'UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
      WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;');

-- The version row comes back even when the silo has no row yet (outer join).
SELECT budget_actors_define_query('MembershipReadRowKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
            m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
       FROM OrleansMembershipVersionTable v
       LEFT JOIN OrleansMembershipTable m
         ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
      WHERE v.DeploymentId = @DeploymentId;');

SELECT budget_actors_define_query('MembershipReadAllKey',
    'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
            m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
       FROM OrleansMembershipVersionTable v
       LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
      WHERE v.DeploymentId = @DeploymentId;');

SELECT budget_actors_define_query('DeleteMembershipTableEntriesKey',
    'DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
     DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;');

SELECT budget_actors_define_query('GatewaysQueryKey',
    'SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;');

-- Rows of silos that stopped heartbeating before @IAmAliveTime; active silos (status 3) are kept.
SELECT budget_actors_define_query('CleanupDefunctSiloEntriesKey',
    'DELETE FROM OrleansMembershipTable
      WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;');
