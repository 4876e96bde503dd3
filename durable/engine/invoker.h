// Invoker: the engine's port for running one invocation of a durable function. The engine never
// runs user code itself; an Invoker delivers the envelope to the function (an in-process C++
// handler, or a function process speaking the Lambda Runtime API) and reports the outcome.
// Implementations must be thread-safe; `done` may be called on any thread, exactly once.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "durable/model/api.h"

namespace durable::engine {

struct InvocationRequest {
  std::string function_name;  // as registered (template logical id)
  std::string request_id;     // unique per invocation; becomes InvocationCompleted.RequestId
  model::InvocationInput input;
  int64_t timeout_ms = 0;  // function timeout (Timeout in the template); 0 = none
};

// Outcome of one invocation: either the handler's output, or a function error (crash, timeout,
// unparseable output, handler threw) that the engine records and retries.
struct InvocationResult {
  std::optional<model::InvocationOutput> output;
  std::optional<model::ErrorObject> function_error;  // set iff output is absent
};

class Invoker {
 public:
  virtual ~Invoker() = default;
  // True if this invoker can run `function_name`.
  virtual bool Has(const std::string& function_name) const = 0;
  // Starts the invocation asynchronously and calls `done` when it ends. `done` may run on the
  // calling thread before Invoke returns when the invocation is refused at once (e.g. stopping).
  virtual void Invoke(InvocationRequest request, std::function<void(InvocationResult)> done) = 0;
};

}  // namespace durable::engine
