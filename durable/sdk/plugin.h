// Instrumentation plugin hooks (conformance suite 10): invocation start/end, operation
// start/end/change, step attempt start/end and user-function start/end. Plugins are called
// synchronously on the thread that runs the operation (branches of parallel/map call from their
// own threads, so implementations must be thread-safe). An exception thrown by a hook is caught
// and ignored: a faulty plugin never changes the execution's outcome.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "durable/model/api.h"

namespace durable::sdk {

struct OperationInfo {
  std::string id;
  std::optional<std::string> name;
  model::OperationType type = model::OperationType::kStep;
  std::string sub_type;
  std::optional<std::string> parent_id;
  std::optional<model::OperationStatus> status;
  std::optional<TimestampMs> start_timestamp;
  std::optional<TimestampMs> end_timestamp;
  std::optional<std::string> result;
  std::optional<model::ErrorObject> error;
  std::optional<int> attempt;
  bool is_replay = false;              // observed from checkpointed state
  bool is_pending = false;             // still waiting (wait, retry, callback, invoke)
  bool is_replaying_children = false;  // a context function re-run to replay its children
};

struct InvocationInfo {
  std::string durable_execution_arn;
  std::string request_id;
  bool is_first_invocation = false;
  int64_t operations_count = 0;
  int64_t updated_operations_count = 0;
  std::vector<std::string> updated_operation_ids;
  std::optional<TimestampMs> execution_start_timestamp;
  // invocation end only
  std::optional<model::InvocationStatus> status;
  bool terminal = false;
  std::optional<std::string> result;
  std::optional<model::ErrorObject> error;
};

struct AttemptInfo {
  OperationInfo operation;
  int attempt = 1;
  TimestampMs start_timestamp = 0;
  std::optional<TimestampMs> end_timestamp;  // attempt end only
  bool succeeded = false;                    // attempt end only
  std::optional<model::ErrorObject> error;   // attempt end only
};

struct OperationChangeInfo {
  std::string durable_execution_arn;
  std::vector<OperationInfo> updated;
  std::vector<OperationInfo> all;  // every operation known to the invocation
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual void OnInvocationStart(const InvocationInfo&) {}
  virtual void OnInvocationEnd(const InvocationInfo&) {}
  virtual void OnOperationStart(const OperationInfo&) {}
  virtual void OnOperationEnd(const OperationInfo&) {}
  virtual void OnOperationChange(const OperationChangeInfo&) {}
  virtual void OnAttemptStart(const AttemptInfo&) {}
  virtual void OnAttemptEnd(const AttemptInfo&) {}
  // Context-type user functions (child context, branch, map item) start / end.
  virtual void OnUserFunctionStart(const OperationInfo&) {}
  virtual void OnUserFunctionEnd(const OperationInfo&) {}
};

}  // namespace durable::sdk
