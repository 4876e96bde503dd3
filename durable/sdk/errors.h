// Exceptions at the SDK's user edge (house habit 3: the SDK's user-facing API may throw, from
// errors.cc only). DurableError carries the AWS ErrorObject fields; each subclass names the kind
// of durable operation that failed. The control-flow signals at the bottom are internal: they are
// deliberately not std::exceptions, so `catch (const std::exception&)` in user code never swallows
// a suspension. All types are immutable values, safe to share between threads.
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "durable/model/types.h"

namespace durable::sdk {

class DurableError : public std::exception {
 public:
  explicit DurableError(model::ErrorObject error);
  const char* what() const noexcept override { return what_.c_str(); }
  const model::ErrorObject& error() const { return error_; }
  std::string error_type() const { return error_.error_type.value_or(""); }
  std::string error_message() const { return error_.error_message.value_or(""); }
  std::optional<std::string> error_data() const { return error_.error_data; }

 private:
  model::ErrorObject error_;
  std::string what_;
};

// Thrown by Step when the step failed for good (retries exhausted or not retryable).
class StepError : public DurableError {
  using DurableError::DurableError;
};
// Thrown when awaiting a callback that failed or timed out, and by WaitForCallback.
class CallbackError : public DurableError {
  using DurableError::DurableError;
};
// Thrown by Invoke when the chained invocation failed, timed out or was stopped.
class InvokeError : public DurableError {
  using DurableError::DurableError;
};
// Thrown by RunInChildContext when the child context failed.
class ChildContextError : public DurableError {
  using DurableError::DurableError;
};
// Thrown by WaitForCondition when the check function failed or the wait strategy gave up.
class WaitForConditionError : public DurableError {
  using DurableError::DurableError;
};

// An error users may throw from their own code to choose the recorded ErrorType and ErrorData.
class UserError : public DurableError {
 public:
  UserError(std::string type, std::string message, std::optional<std::string> data = {});
};

// Converts whatever a user function threw into the ErrorObject that is checkpointed. DurableErrors
// keep their object; other std::exceptions use their demangled type name and what().
model::ErrorObject ErrorFromException(std::exception_ptr e);

enum class ErrorKind { kStep, kCallback, kInvoke, kChildContext, kWaitForCondition };
// Throws the DurableError subclass of `kind` carrying `error`.
[[noreturn]] void ThrowDurableError(ErrorKind kind, model::ErrorObject error);
// Throws std::invalid_argument (configuration errors detected before any checkpoint).
[[noreturn]] void ThrowInvalidArgument(const std::string& message);

namespace internal {

// Unwinds user code because the invocation must return PENDING (something is waiting).
struct SuspendSignal {};

// Unwinds user code because the invocation must end now. kInvocation: the runtime reports a
// function error so the engine re-invokes; kExecution: the execution FAILS with `error`.
struct TerminateSignal {
  enum class Scope { kInvocation, kExecution };
  Scope scope = Scope::kInvocation;
  model::ErrorObject error;
};

[[noreturn]] void ThrowSuspend();
[[noreturn]] void ThrowTerminate(TerminateSignal::Scope scope, model::ErrorObject error);

}  // namespace internal
}  // namespace durable::sdk
