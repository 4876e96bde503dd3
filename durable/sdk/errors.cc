#include "durable/sdk/errors.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <typeinfo>
#include <utility>

namespace durable::sdk {
namespace {

std::string Demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name, nullptr, nullptr, &status),
                                             std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(name);
}

std::string WhatOf(const model::ErrorObject& e) {
  std::string type = e.error_type.value_or("Error");
  return e.error_message ? type + ": " + *e.error_message : type;
}

// Keeps checkpointed errors well under the engine's 32 KiB error limit (protocol.md §6.4).
constexpr size_t kMaxErrorField = 12 * 1024;

void Truncate(std::optional<std::string>& field) {
  if (field && field->size() > kMaxErrorField) {
    field->resize(kMaxErrorField);
    field->append("...[truncated]");
  }
}

model::ErrorObject Bounded(model::ErrorObject e) {
  Truncate(e.error_type);
  Truncate(e.error_message);
  Truncate(e.error_data);
  if (e.stack_trace && e.stack_trace->size() > 20) e.stack_trace->resize(20);
  return e;
}

}  // namespace

DurableError::DurableError(model::ErrorObject error)
    : error_(std::move(error)), what_(WhatOf(error_)) {}

UserError::UserError(std::string type, std::string message, std::optional<std::string> data)
    : DurableError(model::ErrorObject{std::move(type), std::move(message), std::move(data), {}}) {}

model::ErrorObject ErrorFromException(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const DurableError& d) {
    return Bounded(d.error());
  } catch (const std::exception& x) {
    return Bounded(model::ErrorObject{Demangle(typeid(x).name()), std::string(x.what()), {}, {}});
  } catch (const std::string& s) {
    return model::ErrorObject{"Error", s, {}, {}};
  } catch (const char* s) {
    return model::ErrorObject{"Error", std::string(s), {}, {}};
  } catch (...) {
    return model::ErrorObject{"UnknownError", "a non-standard exception was thrown", {}, {}};
  }
}

void ThrowDurableError(ErrorKind kind, model::ErrorObject error) {
  switch (kind) {
    case ErrorKind::kStep:
      throw StepError(std::move(error));
    case ErrorKind::kCallback:
      throw CallbackError(std::move(error));
    case ErrorKind::kInvoke:
      throw InvokeError(std::move(error));
    case ErrorKind::kChildContext:
      throw ChildContextError(std::move(error));
    case ErrorKind::kWaitForCondition:
      throw WaitForConditionError(std::move(error));
  }
  throw DurableError(std::move(error));
}

void ThrowInvalidArgument(const std::string& message) { throw std::invalid_argument(message); }

namespace internal {

void ThrowSuspend() { throw SuspendSignal{}; }

void ThrowTerminate(TerminateSignal::Scope scope, model::ErrorObject error) {
  throw TerminateSignal{scope, std::move(error)};
}

}  // namespace internal
}  // namespace durable::sdk
