// Mapping between model::DurableExecution and a row of the `executions` table. Internal to the
// SQLite backend. Thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "durable/base/result.h"
#include "durable/model/execution.h"
#include "durable/store/sqlite/db.h"

namespace durable::store::sqlite {

// The executions columns in the order ExecutionRow::Bind and ReadExecution use.
inline constexpr char kExecutionColumns[] =
    "arn, name, execution_id, function_name, function_arn, version, status, start_ts, end_ts, "
    "input_payload, result, error, execution_timeout_s, retention_days, tenant_id, trace_header, "
    "parent_arn, parent_operation_id, next_event_id, next_sequence, failed_invocations, "
    "invoke_at, retain_until";
inline constexpr int kExecutionColumnCount = 23;

// "SELECT id, <kExecutionColumns> FROM executions WHERE arn = ?" (built once).
const std::string& SelectExecutionByArnSql();

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

}  // namespace durable::store::sqlite
