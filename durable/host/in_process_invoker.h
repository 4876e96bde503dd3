// InProcessInvoker: runs functions as C++ handlers linked into this binary, on a small thread
// pool. A handler is registered under a name (the template's Handler); a function maps to a
// handler by AddFunction, or by having the handler's own name. Handlers cannot be killed, so
// function timeouts are not enforced here. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "durable/engine/invoker.h"

namespace durable::host {

// Takes the request by value: the invoker hands it over (moved), so a handler may take its parts.
using InProcessHandler = std::function<engine::InvocationResult(engine::InvocationRequest request)>;

class InProcessInvoker final : public engine::Invoker {
 public:
  // A thread runs one invocation from its start to its end, blocked while each checkpoint
  // commits. Invocations started by timers begin while the fire's commit is still running (and
  // block on it), so with 10,000 timers falling due 32 threads were at times all taken and the
  // invocations queued behind them (B4 p99 27-38 ms in three of five runs, 1-2 ms with 64).
  explicit InProcessInvoker(int threads = 64);
  ~InProcessInvoker() override;  // calls Shutdown()
  InProcessInvoker(const InProcessInvoker&) = delete;
  InProcessInvoker& operator=(const InProcessInvoker&) = delete;

  void Register(const std::string& handler_name, InProcessHandler handler);
  // Routes `function_name` to the handler registered (now or later) as `handler_name`.
  void AddFunction(const std::string& function_name, const std::string& handler_name);
  bool HasHandler(const std::string& handler_name) const;

  bool Has(const std::string& function_name) const override;
  // A handler that throws yields function_error {ErrorType "Runtime.HandlerException"}.
  void Invoke(engine::InvocationRequest request,
              std::function<void(engine::InvocationResult)> done) override;

  // Waits for running invocations; queued ones fail with ErrorType "Sandbox.Shutdown".
  // Idempotent.
  void Shutdown();

 private:
  struct Task {
    engine::InvocationRequest request;
    std::function<void(engine::InvocationResult)> done;
  };
  void WorkerLoop();
  engine::InvocationResult Run(engine::InvocationRequest request);
  const InProcessHandler* FindLocked(const std::string& function_name) const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, InProcessHandler> handlers_;      // by handler name
  std::map<std::string, std::string> function_handlers_;  // function -> handler name
  std::deque<Task> queue_;
  bool stopping_ = false;
  // Invocations deferred to run on their caller's thread after its reply (after_reply), at most
  // as many as there are workers; Shutdown waits for them too.
  int after_reply_running_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace durable::host
