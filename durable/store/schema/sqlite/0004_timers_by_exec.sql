-- Durable SQLite schema, version 4: timers keyed by the execution's integer id.
-- Every execution sets and clears timers (its execution timeout when it starts; a retention timer
-- when it ends), inside the serial group commit. Keyed by the ~120-byte arn, with a foreign key
-- checked through the arn's unique index, those rows cost as much as the rest of a commit, and
-- the arns (random ids) scattered them over as many pages as there were executions in a group.
-- Keyed by `exec` (the executions rowid), the rows are small and new ones land together.

CREATE TABLE timers_v4 (
  exec          INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  kind          INTEGER NOT NULL,  -- store::TimerKind
  operation_id  TEXT    NOT NULL,  -- '' for execution-level timers
  due_at        INTEGER NOT NULL,
  lease_owner   TEXT,
  lease_until   INTEGER,
  PRIMARY KEY (exec, kind, operation_id)
) WITHOUT ROWID;
INSERT INTO timers_v4 (exec, kind, operation_id, due_at, lease_owner, lease_until)
  SELECT x.id, t.kind, t.operation_id, t.due_at, t.lease_owner, t.lease_until
  FROM timers t JOIN executions x ON x.arn = t.arn
  ORDER BY x.id, t.kind, t.operation_id;

DROP TABLE timers;
ALTER TABLE timers_v4 RENAME TO timers;
CREATE INDEX timers_by_due ON timers (due_at);
CREATE INDEX timers_by_lease ON timers (lease_until) WHERE lease_until IS NOT NULL;
