-- Durable SQLite schema, version 2: fewer and smaller b-trees written per checkpoint
-- (docs/performance-notes.md).
-- * One remembered checkpoint answer per execution (only the latest can be asked for again),
--   keyed by arn alone, replacing checkpoint_replays and its three-column key.
-- * operations and events become WITHOUT ROWID tables clustered on their key: one b-tree each
--   instead of a table plus a key index that repeated the arn. Large rows still work (they
--   spill to overflow pages).
-- * No operations_by_sequence index: Load sorts the rows of one execution itself.

CREATE TABLE checkpoint_answers (
  arn               TEXT NOT NULL PRIMARY KEY REFERENCES executions (arn) ON DELETE CASCADE,
  client_token      TEXT NOT NULL,
  checkpoint_token  TEXT NOT NULL,
  request_hash      TEXT NOT NULL,
  response_body     BLOB NOT NULL
);
INSERT INTO checkpoint_answers (arn, client_token, checkpoint_token, request_hash, response_body)
  SELECT arn, client_token, checkpoint_token, request_hash, response_body FROM checkpoint_replays
  WHERE rowid IN (SELECT MAX(rowid) FROM checkpoint_replays GROUP BY arn);
DROP TABLE checkpoint_replays;

CREATE TABLE operations_v2 (
  arn          TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  id           TEXT    NOT NULL,
  sequence     INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  callback_id  TEXT,
  record       BLOB    NOT NULL,  -- codec OperationRecord (operation + meta)
  PRIMARY KEY (arn, id)
) WITHOUT ROWID;
INSERT INTO operations_v2 (arn, id, sequence, type, status, callback_id, record)
  SELECT arn, id, sequence, type, status, callback_id, record FROM operations;
DROP TABLE operations;
ALTER TABLE operations_v2 RENAME TO operations;
CREATE INDEX operations_by_callback ON operations (callback_id) WHERE callback_id IS NOT NULL;

CREATE TABLE events_v2 (
  arn       TEXT    NOT NULL REFERENCES executions (arn) ON DELETE CASCADE,
  event_id  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  event_ts  INTEGER NOT NULL,
  body      BLOB    NOT NULL,  -- codec Event
  PRIMARY KEY (arn, event_id)
) WITHOUT ROWID;
INSERT INTO events_v2 (arn, event_id, type, event_ts, body)
  SELECT arn, event_id, type, event_ts, body FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
