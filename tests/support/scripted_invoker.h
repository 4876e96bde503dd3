// ScriptedInvoker: an engine::Invoker for tests that plays the function. Invocations are queued;
// the test takes one (NextInvocation), talks to the server as the SDK would, and then finishes it
// with an output or a function error. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "durable/engine/invoker.h"

namespace durable::testing {

class ScriptedInvoker final : public engine::Invoker {
 public:
  struct Pending {
    engine::InvocationRequest request;
    std::function<void(engine::InvocationResult)> done;
  };

  explicit ScriptedInvoker(std::set<std::string> functions) : functions_(std::move(functions)) {}

  bool Has(const std::string& function_name) const override {
    return functions_.count(function_name) > 0;
  }
  void Invoke(engine::InvocationRequest request,
              std::function<void(engine::InvocationResult)> done) override {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(request), std::move(done)});
    cv_.notify_all();
  }

  // Waits up to `timeout` for the next invocation.
  std::optional<Pending> NextInvocation(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return !queue_.empty(); })) return std::nullopt;
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    return p;
  }

  static engine::InvocationResult Output(model::InvocationStatus status,
                                         std::optional<std::string> result = std::nullopt) {
    engine::InvocationResult r;
    r.output = model::InvocationOutput{status, std::move(result), std::nullopt};
    return r;
  }

 private:
  std::set<std::string> functions_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
};

}  // namespace durable::testing
