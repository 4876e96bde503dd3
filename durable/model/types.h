// Enumerations of the AWS durable execution protocol, with their wire names.
// Pure values: no I/O, no clock. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "durable/base/clock.h"

namespace durable::model {

enum class OperationType { kExecution, kContext, kStep, kWait, kCallback, kChainedInvoke };
enum class OperationStatus {
  kStarted, kPending, kReady, kSucceeded, kFailed, kCancelled, kTimedOut, kStopped
};
enum class OperationAction { kStart, kSucceed, kFail, kRetry, kCancel };
enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kStopped };

// The 24 history event types of the Lambda model.
enum class EventType {
  kExecutionStarted, kExecutionSucceeded, kExecutionFailed, kExecutionTimedOut, kExecutionStopped,
  kContextStarted, kContextSucceeded, kContextFailed,
  kWaitStarted, kWaitSucceeded, kWaitCancelled,
  kStepStarted, kStepSucceeded, kStepFailed,
  kChainedInvokeStarted, kChainedInvokeSucceeded, kChainedInvokeFailed, kChainedInvokeTimedOut,
  kChainedInvokeStopped,
  kCallbackStarted, kCallbackSucceeded, kCallbackFailed, kCallbackTimedOut,
  kInvocationCompleted,
};
inline constexpr int kEventTypeCount = 24;

std::string_view ToString(OperationType v);
std::string_view ToString(OperationStatus v);
std::string_view ToString(OperationAction v);
std::string_view ToString(ExecutionStatus v);
std::string_view ToString(EventType v);
std::optional<OperationType> ParseOperationType(std::string_view s);
std::optional<OperationStatus> ParseOperationStatus(std::string_view s);
std::optional<OperationAction> ParseOperationAction(std::string_view s);
std::optional<ExecutionStatus> ParseExecutionStatus(std::string_view s);
std::optional<EventType> ParseEventType(std::string_view s);

// SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, STOPPED.
bool IsTerminal(OperationStatus s);
inline bool IsTerminal(ExecutionStatus s) { return s != ExecutionStatus::kRunning; }

// ErrorObject: all members optional strings (sensitive data).
struct ErrorObject {
  std::optional<std::string> error_type;
  std::optional<std::string> error_message;
  std::optional<std::string> error_data;
  std::optional<std::vector<std::string>> stack_trace;
  bool operator==(const ErrorObject&) const = default;
};

// Model limits (protocol.md §6.4, §11, §12). Configurable copies live in engine::Limits.
inline constexpr size_t kMaxPayloadChars = 6'291'456;
inline constexpr size_t kMaxOperationIdLength = 64;
inline constexpr size_t kMaxNameLength = 256;
inline constexpr int64_t kMaxWaitSeconds = 31'622'400;
inline constexpr size_t kMaxErrorBytes = 32'768;

}  // namespace durable::model
