-- Durable SQLite schema, version 2: fewer b-trees written per checkpoint (docs/performance-notes.md).
-- * One remembered checkpoint answer per execution (only the latest can be asked for again),
--   keyed by arn alone, replacing checkpoint_replays and its three-column key.
-- * No operations_by_sequence index: Load sorts the few rows of one execution itself.

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

DROP INDEX operations_by_sequence;
