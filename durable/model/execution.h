// DurableExecution: one execution of a durable function, and its engine-side bookkeeping.
// Pure values. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
};

// Equal in everything but next_event_id and next_sequence (the counters that move with almost
// every change, and that a store may derive instead of writing).
inline bool EqualExceptCounters(const DurableExecution& a, const DurableExecution& b) {
  if (a.next_event_id == b.next_event_id && a.next_sequence == b.next_sequence) return a == b;
  DurableExecution c = b;
  c.next_event_id = a.next_event_id;
  c.next_sequence = a.next_sequence;
  return a == c;
}

}  // namespace durable::model
