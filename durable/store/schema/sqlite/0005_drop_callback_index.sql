-- Durable SQLite schema, version 5: no index on operations.callback_id.
-- A callback id carries its execution's arn, so the engine finds a callback operation by loading
-- that execution; nothing looks operations up by callback id any more. Without the index a
-- commit that adds a callback operation writes one b-tree less. The callback_id column stays
-- (dropping it would rewrite the table); the store still fills it, and nothing reads it.

DROP INDEX IF EXISTS operations_by_callback;
