-- Durable SQLite schema, version 1. Shipped files are never edited: add 0002_*.sql instead.
-- Timestamps are epoch milliseconds. Blobs use the store codec (docs/storage.md). Tables with
-- multi-MB payloads keep their rowid (WITHOUT ROWID suits small rows only).

CREATE TABLE executions (
  arn                  TEXT    NOT NULL PRIMARY KEY,
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
CREATE INDEX executions_by_function_start ON executions (function_name, start_ts, arn);
CREATE INDEX executions_by_start ON executions (start_ts, arn);
CREATE INDEX executions_running ON executions (status) WHERE status = 'RUNNING';

CREATE TABLE operations (
  arn          TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  id           TEXT    NOT NULL,
  sequence     INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  callback_id  TEXT,
  record       BLOB    NOT NULL,  -- codec OperationRecord (operation + meta)
  PRIMARY KEY (arn, id)
);
CREATE INDEX operations_by_sequence ON operations (arn, sequence);
CREATE INDEX operations_by_callback ON operations (callback_id) WHERE callback_id IS NOT NULL;

CREATE TABLE events (
  arn       TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  event_id  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  event_ts  INTEGER NOT NULL,
  body      BLOB    NOT NULL,  -- codec Event
  PRIMARY KEY (arn, event_id)
);

CREATE TABLE timers (
  arn           TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  kind          INTEGER NOT NULL,  -- store::TimerKind
  operation_id  TEXT    NOT NULL,  -- '' for execution-level timers
  due_at        INTEGER NOT NULL,
  lease_owner   TEXT,
  lease_until   INTEGER,
  PRIMARY KEY (arn, kind, operation_id)
) WITHOUT ROWID;
CREATE INDEX timers_by_due ON timers (due_at);
CREATE INDEX timers_by_lease ON timers (lease_until) WHERE lease_until IS NOT NULL;

CREATE TABLE checkpoint_replays (
  arn               TEXT NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  client_token      TEXT NOT NULL,
  checkpoint_token  TEXT NOT NULL,
  request_hash      TEXT NOT NULL,
  response_body     BLOB NOT NULL,
  PRIMARY KEY (arn, client_token, checkpoint_token)
);
