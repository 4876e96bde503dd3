#include "durable/store/sqlite/rows.h"

#include "durable/store/codec.h"

namespace durable::store::sqlite {

const std::string& SelectExecutionByArnSql() {
  static const std::string sql =
      std::string("SELECT id, ") + kExecutionColumns + " FROM executions WHERE arn = ?";
  return sql;
}

ExecutionRow::ExecutionRow(const model::DurableExecution& e) : e_(e) {
  if (e.error) error_blob_ = codec::EncodeError(*e.error);
}

void ExecutionRow::Bind(Query& q) const {
  q.Bind(e_.arn).Bind(e_.name).Bind(e_.execution_id).Bind(e_.function_name).Bind(e_.function_arn);
  q.Bind(e_.version)
      .Bind(model::ToString(e_.status))
      .Bind(e_.start_timestamp)
      .Bind(e_.end_timestamp);
  q.Bind(e_.input_payload).Bind(e_.result);
  if (error_blob_) {
    q.BindBlob(*error_blob_);
  } else {
    q.BindNull();
  }
  q.Bind(e_.config.execution_timeout_seconds).Bind(int64_t{e_.config.retention_period_in_days});
  q.Bind(e_.tenant_id).Bind(e_.trace_header).Bind(e_.parent_arn).Bind(e_.parent_operation_id);
  q.Bind(e_.next_event_id).Bind(e_.next_sequence).Bind(int64_t{e_.failed_invocations});
  q.Bind(e_.invoke_at).Bind(e_.retain_until);
}

Result<model::DurableExecution> ReadExecution(const Query& q, int first) {
  int c = first;
  model::DurableExecution e;
  e.arn = q.Text(c++);
  e.name = q.Text(c++);
  e.execution_id = q.Text(c++);
  e.function_name = q.Text(c++);
  e.function_arn = q.Text(c++);
  e.version = q.Text(c++);
  std::optional<model::ExecutionStatus> status = model::ParseExecutionStatus(q.Text(c++));
  if (!status) return Internal("corrupt stored execution status of " + e.arn);
  e.status = *status;
  e.start_timestamp = q.Int(c++);
  e.end_timestamp = q.OptInt(c++);
  e.input_payload = q.OptText(c++);
  e.result = q.OptText(c++);
  if (!q.IsNull(c)) {
    Result<model::ErrorObject> error = codec::DecodeError(q.Blob(c));
    if (!error.ok()) return error.status();
    e.error = std::move(error).value();
  }
  ++c;
  e.config.execution_timeout_seconds = q.Int(c++);
  e.config.retention_period_in_days = static_cast<int32_t>(q.Int(c++));
  e.tenant_id = q.OptText(c++);
  e.trace_header = q.OptText(c++);
  e.parent_arn = q.OptText(c++);
  e.parent_operation_id = q.OptText(c++);
  e.next_event_id = q.Int(c++);
  e.next_sequence = q.Int(c++);
  e.failed_invocations = static_cast<int32_t>(q.Int(c++));
  e.invoke_at = q.OptInt(c++);
  e.retain_until = q.OptInt(c++);
  return e;
}

}  // namespace durable::store::sqlite
