-- Durable SQLite schema, version 3: fewer bytes per step (docs/performance-notes.md).
-- * executions get an integer key `id` (INTEGER PRIMARY KEY, the rowid); the arn stays UNIQUE.
--   operations, events and checkpoint_answers are keyed by that integer (`exec`) instead of
--   repeating the ~120-byte arn in every row. timers keep the arn (few rows; claimed by key).
-- * operations keep only what is searched for (callback_id) beside the record blob. The columns
--   dropped here are all inside the blobs.
-- * events become a rowid table keyed by one integer, k = exec * 2^32 + event_id (event ids are
--   below 2^32): appended in key order, their pages fill completely (SQLite's append path for
--   rowid tables), where a WITHOUT ROWID table split on append leaves them ~85% full. No
--   foreign key on events (there is no exec column); Purge deletes them by key range.
-- * Rows written from this version on use the compact blob framing of durable/store/sqlite
--   (row_codec.h); rows carried over keep their version-1 blobs, which still decode.

CREATE TABLE executions_v3 (
  id                   INTEGER PRIMARY KEY,
  arn                  TEXT    NOT NULL UNIQUE,
  name                 TEXT    NOT NULL,
  execution_id         TEXT    NOT NULL,
  function_name        TEXT    NOT NULL,
  function_arn         TEXT    NOT NULL,
  version              TEXT    NOT NULL,
  status               TEXT    NOT NULL,  -- RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED
  start_ts             INTEGER NOT NULL,
  end_ts               INTEGER,
  input_payload        TEXT,
  result               TEXT,
  error                BLOB,              -- codec ErrorObject
  execution_timeout_s  INTEGER NOT NULL,
  retention_days       INTEGER NOT NULL,
  tenant_id            TEXT,
  trace_header         TEXT,
  parent_arn           TEXT,
  parent_operation_id  TEXT,
  next_event_id        INTEGER NOT NULL,
  next_sequence        INTEGER NOT NULL,
  failed_invocations   INTEGER NOT NULL,
  invoke_at            INTEGER,
  retain_until         INTEGER,
  UNIQUE (function_name, name)
);
INSERT INTO executions_v3 (arn, name, execution_id, function_name, function_arn, version, status,
    start_ts, end_ts, input_payload, result, error, execution_timeout_s, retention_days,
    tenant_id, trace_header, parent_arn, parent_operation_id, next_event_id, next_sequence,
    failed_invocations, invoke_at, retain_until)
  SELECT arn, name, execution_id, function_name, function_arn, version, status, start_ts, end_ts,
    input_payload, result, error, execution_timeout_s, retention_days, tenant_id, trace_header,
    parent_arn, parent_operation_id, next_event_id, next_sequence, failed_invocations, invoke_at,
    retain_until
  FROM executions ORDER BY start_ts, arn;

CREATE TABLE operations_v3 (
  exec         INTEGER NOT NULL REFERENCES executions_v3 (id) ON DELETE CASCADE,
  id           TEXT    NOT NULL,
  callback_id  TEXT,
  record       BLOB    NOT NULL,  -- OperationRecord (row_codec.h)
  PRIMARY KEY (exec, id)
) WITHOUT ROWID;
INSERT INTO operations_v3 (exec, id, callback_id, record)
  SELECT x.id, o.id, o.callback_id, o.record FROM operations o JOIN executions_v3 x ON x.arn = o.arn;

CREATE TABLE events_v3 (
  k     INTEGER PRIMARY KEY,  -- exec * 4294967296 + event_id
  body  BLOB    NOT NULL      -- Event (row_codec.h)
);
INSERT INTO events_v3 (k, body)
  SELECT x.id * 4294967296 + e.event_id, e.body FROM events e JOIN executions_v3 x ON x.arn = e.arn
  ORDER BY x.id, e.event_id;

CREATE TABLE checkpoint_answers_v3 (
  exec              INTEGER NOT NULL PRIMARY KEY REFERENCES executions_v3 (id) ON DELETE CASCADE,
  client_token      TEXT NOT NULL,
  checkpoint_token  TEXT NOT NULL,
  request_hash      TEXT NOT NULL,
  response_body     BLOB NOT NULL
);
INSERT INTO checkpoint_answers_v3 (exec, client_token, checkpoint_token, request_hash,
    response_body)
  SELECT x.id, a.client_token, a.checkpoint_token, a.request_hash, a.response_body
  FROM checkpoint_answers a JOIN executions_v3 x ON x.arn = a.arn;

CREATE TABLE timers_v3 (
  arn           TEXT    NOT NULL REFERENCES executions_v3 (arn) ON DELETE CASCADE,
  kind          INTEGER NOT NULL,  -- store::TimerKind
  operation_id  TEXT    NOT NULL,  -- '' for execution-level timers
  due_at        INTEGER NOT NULL,
  lease_owner   TEXT,
  lease_until   INTEGER,
  PRIMARY KEY (arn, kind, operation_id)
) WITHOUT ROWID;
INSERT INTO timers_v3 (arn, kind, operation_id, due_at, lease_owner, lease_until)
  SELECT arn, kind, operation_id, due_at, lease_owner, lease_until FROM timers;

-- Children first, so dropping executions cascades into nothing.
DROP TABLE timers;
DROP TABLE checkpoint_answers;
DROP TABLE events;
DROP TABLE operations;
DROP TABLE executions;
-- Renaming a parent table rewrites the REFERENCES clauses of its children.
ALTER TABLE executions_v3 RENAME TO executions;
ALTER TABLE operations_v3 RENAME TO operations;
ALTER TABLE events_v3 RENAME TO events;
ALTER TABLE checkpoint_answers_v3 RENAME TO checkpoint_answers;
ALTER TABLE timers_v3 RENAME TO timers;

CREATE INDEX executions_by_function_start ON executions (function_name, start_ts, arn);
CREATE INDEX executions_by_start ON executions (start_ts, arn);
CREATE INDEX executions_running ON executions (status) WHERE status = 'RUNNING';
CREATE INDEX operations_by_callback ON operations (callback_id) WHERE callback_id IS NOT NULL;
CREATE INDEX timers_by_due ON timers (due_at);
CREATE INDEX timers_by_lease ON timers (lease_until) WHERE lease_until IS NOT NULL;
