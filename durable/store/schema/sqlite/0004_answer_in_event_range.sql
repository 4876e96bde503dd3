-- Version 4: an execution's remembered checkpoint answer moves from its own table into the
-- execution's event range, at the last key (exec * 2^32 + 2^32 - 1, never an event id). Every
-- checkpoint rewrites it; there it sits next to the newest events, on a page the same commit
-- writes anyway, so a step's commit writes one page less (see docs/storage.md).
-- Body: "<n1>:<n2>:<n3>:" (the byte lengths of client_token, checkpoint_token and request_hash in
-- decimal), then those three strings and the response body, concatenated.
INSERT INTO events (k, body)
  SELECT exec * 4294967296 + 4294967295,
         CAST(length(CAST(client_token AS BLOB)) || ':' ||
              length(CAST(checkpoint_token AS BLOB)) || ':' ||
              length(CAST(request_hash AS BLOB)) || ':' ||
              client_token || checkpoint_token || request_hash AS BLOB) ||
         CAST(response_body AS BLOB)
  FROM checkpoint_answers;

DROP TABLE checkpoint_answers;
