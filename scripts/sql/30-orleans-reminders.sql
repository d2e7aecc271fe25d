-- BudgetActors schema, part 3: reminders for Orleans' ADO.NET reminder provider
-- (Microsoft.Orleans.Reminders.AdoNet 10.x, invariant "Npgsql"). BudgetActors uses them to roll
-- budget periods over on time.
--
-- Contract: one row per (service, grain, reminder name); GrainHash places the row on the silos'
-- hash ring, which reads ranges of it; Version is the ETag that a delete must match.

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

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
