// DurableExecution: one execution of a durable function, and its engine-side bookkeeping.
// Pure values. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "durable/model/types.h"

namespace durable::model {

struct DurableConfig {
  int64_t execution_timeout_seconds = 86'400;
  int32_t retention_period_in_days = 14;
  bool operator==(const DurableConfig&) const = default;
};

struct DurableExecution {
  std::string arn;           // arn:aws:lambda:{region}:{account}:function:{fn}:{version}/durable-execution/{name}/{id}
  std::string name;          // DurableExecutionName (given or generated)
  std::string execution_id;  // == EXECUTION operation Id == last ARN segment
  std::string function_name;
  std::string function_arn;  // qualified with the version
  std::string version = "$LATEST";
  ExecutionStatus status = ExecutionStatus::kRunning;
  TimestampMs start_timestamp = 0;
  std::optional<TimestampMs> end_timestamp;
  std::optional<std::string> input_payload;
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
  DurableConfig config;
  std::optional<std::string> tenant_id;
  std::optional<std::string> trace_header;
  // Set when this execution was started by a CHAINED_INVOKE of another execution.
  std::optional<std::string> parent_arn;
  std::optional<std::string> parent_operation_id;

  // Engine bookkeeping (persisted so that a restart resumes correctly).
  int64_t next_event_id = 1;            // EventId of the next appended event
  int64_t next_sequence = 1;            // sequence of the next started operation
  int32_t failed_invocations = 0;       // consecutive failed invocations (retry budget)
  std::optional<TimestampMs> invoke_at; // an invocation is wanted at/after this time
  std::optional<TimestampMs> retain_until;  // purge after (set when closed)
  bool operator==(const DurableExecution&) const = default;
  // A field added here must be added to EqualExceptCounters below as well.
};

// Equal in everything but next_event_id and next_sequence (the counters that move with almost
// every change, and that a store may derive instead of writing).
// Field by field rather than on a copy with the counters aligned: it runs on every checkpoint,
// and a copy allocates for every string of the row.
inline bool EqualExceptCounters(const DurableExecution& a, const DurableExecution& b) {
  auto rest = [](const DurableExecution& e) {
    // Every field but next_event_id and next_sequence (a new field belongs here too).
    return std::tie(e.arn, e.name, e.execution_id, e.function_name, e.function_arn, e.version,
                    e.status, e.start_timestamp, e.end_timestamp, e.input_payload, e.result,
                    e.error, e.config, e.tenant_id, e.trace_header, e.parent_arn,
                    e.parent_operation_id, e.failed_invocations, e.invoke_at, e.retain_until);
  };
  return rest(a) == rest(b);
}

}  // namespace durable::model
