// Mapping between model::DurableExecution and a row of the `executions` table. Internal to the
// SQLite backend. Thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "durable/base/result.h"
#include "durable/model/execution.h"
#include "durable/store/sqlite/db.h"
#include "durable/store/sqlite/row_codec.h"
#include "durable/store/store.h"

namespace durable::store::sqlite {

// The executions columns in the order ExecutionRow::Bind and ReadExecution use.
inline constexpr char kExecutionColumns[] =
    "arn, name, execution_id, function_name, function_arn, version, status, start_ts, end_ts, "
    "input_payload, result, error, execution_timeout_s, retention_days, tenant_id, trace_header, "
    "parent_arn, parent_operation_id, next_event_id, next_sequence, failed_invocations, "
    "invoke_at, retain_until";
inline constexpr int kExecutionColumnCount = 23;

// Binds one execution's columns; owns the encoded error so it outlives the statement's Step.
class ExecutionRow {
 public:
  explicit ExecutionRow(const model::DurableExecution& e);
  void Bind(Query& q) const;  // binds kExecutionColumnCount values in column order

 private:
  const model::DurableExecution& e_;
  std::optional<std::string> error_blob_;
};

// Reads kExecutionColumns starting at column `first`. kInternal for an unreadable row.
Result<model::DurableExecution> ReadExecution(const Query& q, int first = 0);

// The last key of an execution's event range is not an event: it holds the execution's remembered
// checkpoint answer (schema version 4). Every checkpoint rewrites it, and next to the newest
// events it shares the page their inserts write anyway. Event ids stay below it.
inline constexpr int64_t kAnswerEventId = kEventIdLimit - 1;

// The body of the answer row: "<n1>:<n2>:<n3>:" (byte lengths of the client token, checkpoint
// token and request hash in decimal), those three strings, then the response body.
std::string PackAnswer(const CheckpointReplay& answer);
Result<CheckpointReplay> UnpackAnswer(std::string_view body);  // kInternal if malformed

}  // namespace durable::store::sqlite
