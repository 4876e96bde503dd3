// Requests and responses of the durable APIs and the invocation envelope (protocol.md §3, §6–§12).
// Transport-free: the wire layer maps them to JSON, the api layer to HTTP. Pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "durable/model/event.h"
#include "durable/model/execution.h"
#include "durable/model/operation.h"

namespace durable::model {

// --- invocation envelope (timestamps in epoch milliseconds on the wire) ---
struct InitialExecutionState {
  std::vector<Operation> operations;
  std::optional<std::string> next_marker;
};
struct InvocationInput {
  std::string durable_execution_arn;
  std::string checkpoint_token;
  InitialExecutionState initial_execution_state;
  std::optional<std::vector<std::string>> updated_operation_ids;
};
enum class InvocationStatus { kSucceeded, kFailed, kPending };
struct InvocationOutput {
  InvocationStatus status = InvocationStatus::kPending;
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
};

// --- CheckpointDurableExecution ---
struct CheckpointRequest {
  std::string checkpoint_token;
  std::optional<std::string> client_token;
  std::vector<OperationUpdate> updates;
};
struct CheckpointResponse {
  std::optional<std::string> checkpoint_token;  // absent once the execution is closing
  std::vector<Operation> operations;            // NewExecutionState.Operations
  std::optional<std::string> next_marker;
  // Engine -> api: the exact JSON body the engine stored for idempotent replay. When set, the
  // api layer sends it verbatim (a replayed request gets the stored bytes). Not on the wire.
  std::optional<std::string> serialized;
};

// --- GetDurableExecutionState ---
struct StateRequest {
  std::string checkpoint_token;
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};
struct StateResponse {
  std::vector<Operation> operations;
  std::optional<std::string> next_marker;
};

// --- GetDurableExecutionHistory ---
struct HistoryRequest {
  bool include_execution_data = true;
  std::optional<int32_t> max_items;  // absent -> everything in one page (runner relies on it)
  std::optional<std::string> marker;
  bool reverse_order = false;
};
struct HistoryResponse {
  std::vector<Event> events;
  std::optional<std::string> next_marker;
};

// --- ListDurableExecutionsByFunction ---
struct ListRequest {
  std::string function_name;
  std::optional<std::string> qualifier;
  std::optional<std::string> durable_execution_name;
  std::vector<ExecutionStatus> statuses;
  std::optional<TimestampMs> started_after;
  std::optional<TimestampMs> started_before;
  bool reverse_order = false;  // false = newest first (AWS default)
  std::optional<std::string> marker;
  std::optional<int32_t> max_items;
};
struct ListResponse {
  std::vector<DurableExecution> executions;
  std::optional<std::string> next_marker;
};

// --- Invoke (start) ---
enum class InvocationType { kRequestResponse, kEvent, kDryRun };
struct StartRequest {
  std::string function_name;  // name, partial or full ARN
  std::optional<std::string> qualifier;
  std::optional<std::string> durable_execution_name;
  std::optional<std::string> payload;  // raw body
  std::optional<std::string> tenant_id;
  std::optional<std::string> trace_header;
  // Set for chained invokes.
  std::optional<std::string> parent_arn;
  std::optional<std::string> parent_operation_id;
};
struct StartResponse {
  DurableExecution execution;
  bool created = true;  // false when an identical named execution already existed
};

}  // namespace durable::model
