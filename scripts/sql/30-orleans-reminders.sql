-- BudgetActors schema, part 3: reminders for Orleans' ADO.NET reminder provider
-- (Microsoft.Orleans.Reminders.AdoNet 10.x, invariant "Npgsql"). BudgetActors uses them to roll
-- budget periods over on time.
--
-- Contract: one row per (service, grain, reminder name); GrainHash places the row on the silos'
-- hash ring, which reads ranges of it; Version is the ETag that a delete must match.

-- Strings are text, not varchar(n). GrainId is the grain id as Orleans formats it, type and key:
-- a budget's is budget/{tenant}/{budget}, 264 characters with ids of 128. (It was varchar(150):
-- a budget whose two ids together passed 142 characters was stored, then its reminder refused.)
-- ServiceId is configuration, which Orleans does not limit; ReminderName is chosen in code. The
-- primary key is only capped by PostgreSQL's limit on a B-tree entry (about 2,700 bytes).
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text           NOT NULL,
    GrainId      text           NOT NULL,
    ReminderName text           NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Tables created before these columns were text (each was varchar(150)).
SELECT budget_actors_widen_to_text('OrleansRemindersTable', column_name)
  FROM unnest(ARRAY['ServiceId', 'GrainId', 'ReminderName']) AS column_name;

CREATE INDEX IF NOT EXISTS IX_RemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

SELECT budget_actors_define_query('UpsertReminderRowKey',
    'INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
     VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
     ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
            Version = OrleansRemindersTable.Version + 1
     RETURNING Version;');

SELECT budget_actors_define_query('ReadReminderRowsKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId AND GrainId = @GrainId;');

SELECT budget_actors_define_query('ReadReminderRowKey',
    'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;');

-- A range of the hash ring that does not wrap around: (BeginHash, EndHash].
SELECT budget_actors_define_query('ReadRangeRows1Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;');

-- A range that wraps around the end of the ring.
SELECT budget_actors_define_query('ReadRangeRows2Key',
    'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);');

-- 1 when the row with that version was deleted, 0 otherwise.
SELECT budget_actors_define_query('DeleteReminderRowKey',
    'WITH deleted AS (
        DELETE FROM OrleansRemindersTable
         WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
           AND Version = @Version
        RETURNING 1)
     SELECT count(*)::integer FROM deleted;');

SELECT budget_actors_define_query('DeleteReminderRowsKey',
    'DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;');
