// History events (protocol.md §8). One flat struct: which detail members are meaningful depends
// on `type`; the wire layer emits exactly the `<EventType>Details` object for it. Pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "durable/model/types.h"

namespace durable::model {

// EventInput / EventResult wrapper. `payload` absent -> the wrapper holds only Truncated.
struct EventPayload {
  std::optional<std::string> payload;
  bool truncated = false;
  bool operator==(const EventPayload&) const = default;
};
// EventError wrapper.
struct EventError {
  std::optional<ErrorObject> payload;
  bool truncated = false;
  bool operator==(const EventError&) const = default;
};
struct RetryDetails {
  std::optional<int32_t> current_attempt;
  std::optional<int64_t> next_attempt_delay_seconds;
  bool operator==(const RetryDetails&) const = default;
};

struct Event {
  EventType type = EventType::kExecutionStarted;
  int64_t event_id = 0;  // 1-based, contiguous per execution
  TimestampMs event_timestamp = 0;
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> sub_type;
  std::optional<std::string> parent_id;

  // Details (see protocol.md §8.2 for which type uses which):
  std::optional<EventPayload> input;    // ExecutionStarted, ChainedInvokeStarted
  std::optional<EventPayload> result;   // *Succeeded
  std::optional<EventError> error;      // *Failed, *TimedOut, *Stopped, WaitCancelled, InvocationCompleted
  std::optional<RetryDetails> retry_details;              // StepSucceeded / StepFailed
  std::optional<int64_t> execution_timeout;               // ExecutionStarted (seconds)
  std::optional<int64_t> duration;                        // WaitStarted / WaitSucceeded (seconds)
  std::optional<TimestampMs> scheduled_end_timestamp;     // WaitStarted
  std::optional<std::string> callback_id;                 // CallbackStarted
  std::optional<int64_t> timeout;                         // CallbackStarted (seconds)
  std::optional<int64_t> heartbeat_timeout;               // CallbackStarted (seconds)
  std::optional<std::string> function_name;               // ChainedInvokeStarted
  std::optional<std::string> tenant_id;                   // ChainedInvokeStarted
  std::optional<std::string> executed_version;            // ChainedInvokeStarted
  std::optional<std::string> durable_execution_arn;       // ChainedInvokeStarted
  std::optional<TimestampMs> invocation_start_timestamp;  // InvocationCompleted
  std::optional<TimestampMs> invocation_end_timestamp;    // InvocationCompleted
  std::optional<std::string> request_id;                  // InvocationCompleted
  bool operator==(const Event&) const = default;
};

}  // namespace durable::model
