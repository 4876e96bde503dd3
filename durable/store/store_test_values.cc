#include "durable/store/store_test_values.h"

namespace durable::store {

using model::EventType;
using model::OperationStatus;
using model::OperationType;

namespace {

model::ErrorObject FullError(const std::string& tag) {
  return model::ErrorObject{"Type" + tag, "message " + tag, "{\"data\":\"" + tag + "\"}",
                            std::vector<std::string>{"at a (" + tag + ")", "at b", ""}};
}

std::string ArnOf(const std::string& id, const std::string& fn = "fn") {
  return "arn:aws:lambda:us-east-1:000000000000:function:" + fn + ":$LATEST/durable-execution/" +
         id + "/" + id + "-uuid";
}

}  // namespace

model::DurableExecution FullExecution(const std::string& id, TimestampMs start,
                                      const std::string& function_name,
                                      const std::string& version) {
  model::DurableExecution e;
  e.arn = ArnOf(id, function_name);
  e.name = id;
  e.execution_id = id + "-uuid";
  e.function_name = function_name;
  e.function_arn =
      "arn:aws:lambda:us-east-1:000000000000:function:" + function_name + ":" + version;
  e.version = version;
  e.start_timestamp = start;
  e.end_timestamp = start + 5;
  e.input_payload = "{\"in\":\"" + id + "\"}";
  e.result = "\"done\"";
  e.error = FullError("exec");
  e.config = model::DurableConfig{3600, 7};
  e.tenant_id = "tenant-1";
  e.trace_header = "Root=1-abc";
  e.parent_arn = "arn:parent";
  e.parent_operation_id = "parent-op";
  e.next_event_id = 2;
  e.next_sequence = 2;
  e.failed_invocations = 3;
  e.invoke_at = start + 100;
  e.retain_until = start + 1000;
  return e;
}

Commit FirstCommit(const model::DurableExecution& e) {
  Commit c;
  c.arn = e.arn;
  c.execution = e;
  model::OperationRecord op;
  op.operation.id = e.execution_id;
  op.operation.type = OperationType::kExecution;
  op.operation.start_timestamp = e.start_timestamp;
  op.operation.execution_details = model::ExecutionDetails{e.input_payload};
  op.meta.sequence = 1;
  c.operations.push_back(op);
  model::Event started = FullEvent(EventType::kExecutionStarted, 1);
  c.events.push_back(started);
  return c;
}

std::vector<model::OperationRecord> EveryOperationType() {
  std::vector<model::OperationRecord> ops;
  auto add = [&ops](OperationType type, const std::string& id) -> model::OperationRecord& {
    model::OperationRecord r;
    r.operation.id = id;
    r.operation.parent_id = "parent-" + id;
    r.operation.name = "name-" + id;
    r.operation.type = type;
    r.operation.sub_type = "Sub" + id;
    r.operation.start_timestamp = 1000 + static_cast<int64_t>(ops.size());
    r.operation.end_timestamp = 2000;
    r.operation.status = OperationStatus::kSucceeded;
    r.meta.sequence = static_cast<int64_t>(ops.size()) + 2;
    ops.push_back(r);
    return ops.back();
  };
  add(OperationType::kExecution, "exec").operation.execution_details =
      model::ExecutionDetails{"{\"x\":1}"};
  add(OperationType::kContext, "ctx").operation.context_details =
      model::ContextDetails{true, "\"r\"", FullError("ctx")};
  model::OperationRecord& step = add(OperationType::kStep, "step");
  step.operation.step_details = model::StepDetails{2, 123456, "\"s\"", FullError("step")};
  step.operation.status = OperationStatus::kPending;
  model::OperationRecord& wait = add(OperationType::kWait, "wait");
  wait.operation.wait_details = model::WaitDetails{99999};
  wait.meta.wait_seconds = 30;
  model::OperationRecord& cb = add(OperationType::kCallback, "cb");
  cb.operation.callback_details = model::CallbackDetails{"cb-id-1", "\"ok\"", FullError("cb")};
  cb.meta.callback_timeout_seconds = 60;
  cb.meta.callback_heartbeat_timeout_seconds = 10;
  cb.meta.callback_deadline = 7000;
  cb.meta.callback_heartbeat_deadline = 8000;
  model::OperationRecord& inv = add(OperationType::kChainedInvoke, "inv");
  inv.operation.chained_invoke_details = model::ChainedInvokeDetails{"\"c\"", FullError("inv")};
  inv.meta.invoke_function_name = "other-fn";
  inv.meta.invoke_tenant_id = "t2";
  inv.meta.invoke_input = "{}";
  inv.meta.invoke_child_arn = "arn:child";
  return ops;
}

model::Event FullEvent(EventType type, int64_t event_id) {
  model::Event e;
  e.type = type;
  e.event_id = event_id;
  e.event_timestamp = 1'760'000'000'000 + event_id;
  e.id = "op-" + std::to_string(event_id);
  e.name = "name";
  e.sub_type = "Step";
  e.parent_id = "parent";
  e.input = model::EventPayload{"{\"in\":1}", false};
  e.result = model::EventPayload{std::nullopt, true};
  e.error = model::EventError{FullError("ev"), false};
  e.retry_details = model::RetryDetails{3, 10};
  e.execution_timeout = 3600;
  e.duration = 5;
  e.scheduled_end_timestamp = 1'760'000'005'000;
  e.callback_id = "cb";
  e.timeout = 60;
  e.heartbeat_timeout = 10;
  e.function_name = "fn2";
  e.tenant_id = "tenant";
  e.executed_version = "1";
  e.durable_execution_arn = "arn:child";
  e.invocation_start_timestamp = 1;
  e.invocation_end_timestamp = 2;
  e.request_id = "req-1";
  return e;
}

std::vector<std::pair<std::string, std::string>> CallbacksOf(const ExecutionSnapshot& snap) {
  std::vector<std::pair<std::string, std::string>> callbacks;
  for (const model::OperationRecord& rec : snap.operations) {
    if (rec.operation.callback_details && rec.operation.callback_details->callback_id) {
      callbacks.emplace_back(*rec.operation.callback_details->callback_id, rec.operation.id);
    }
  }
  return callbacks;
}

}  // namespace durable::store
