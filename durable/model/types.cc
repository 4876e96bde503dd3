#include "durable/model/types.h"

#include <array>

namespace durable::model {
namespace {

template <typename E, size_t N>
std::optional<E> ParseEnum(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 6> kOperationTypes = {
    "EXECUTION", "CONTEXT", "STEP", "WAIT", "CALLBACK", "CHAINED_INVOKE"};
constexpr std::array<std::string_view, 8> kOperationStatuses = {
    "STARTED", "PENDING", "READY", "SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "STOPPED"};
constexpr std::array<std::string_view, 5> kActions = {"START", "SUCCEED", "FAIL", "RETRY",
                                                      "CANCEL"};
constexpr std::array<std::string_view, 5> kExecutionStatuses = {"RUNNING", "SUCCEEDED", "FAILED",
                                                                "TIMED_OUT", "STOPPED"};
constexpr std::array<std::string_view, kEventTypeCount> kEventTypes = {
    "ExecutionStarted",     "ExecutionSucceeded",     "ExecutionFailed",
    "ExecutionTimedOut",    "ExecutionStopped",       "ContextStarted",
    "ContextSucceeded",     "ContextFailed",          "WaitStarted",
    "WaitSucceeded",        "WaitCancelled",          "StepStarted",
    "StepSucceeded",        "StepFailed",             "ChainedInvokeStarted",
    "ChainedInvokeSucceeded", "ChainedInvokeFailed",  "ChainedInvokeTimedOut",
    "ChainedInvokeStopped", "CallbackStarted",        "CallbackSucceeded",
    "CallbackFailed",       "CallbackTimedOut",       "InvocationCompleted"};

}  // namespace

std::string_view ToString(OperationType v) { return kOperationTypes[static_cast<int>(v)]; }
std::string_view ToString(OperationStatus v) { return kOperationStatuses[static_cast<int>(v)]; }
std::string_view ToString(OperationAction v) { return kActions[static_cast<int>(v)]; }
std::string_view ToString(ExecutionStatus v) { return kExecutionStatuses[static_cast<int>(v)]; }
std::string_view ToString(EventType v) { return kEventTypes[static_cast<int>(v)]; }

std::optional<OperationType> ParseOperationType(std::string_view s) {
  return ParseEnum<OperationType>(kOperationTypes, s);
}
std::optional<OperationStatus> ParseOperationStatus(std::string_view s) {
  return ParseEnum<OperationStatus>(kOperationStatuses, s);
}
std::optional<OperationAction> ParseOperationAction(std::string_view s) {
  return ParseEnum<OperationAction>(kActions, s);
}
std::optional<ExecutionStatus> ParseExecutionStatus(std::string_view s) {
  return ParseEnum<ExecutionStatus>(kExecutionStatuses, s);
}
std::optional<EventType> ParseEventType(std::string_view s) {
  return ParseEnum<EventType>(kEventTypes, s);
}

bool IsTerminal(OperationStatus s) {
  return s != OperationStatus::kStarted && s != OperationStatus::kPending &&
         s != OperationStatus::kReady;
}

}  // namespace durable::model
