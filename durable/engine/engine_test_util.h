// Test support for the engine: a scripted fake Invoker that queues invocations so a test can
// play the SDK for each one (checkpoint scripted updates, then return an output), update
// builders, and a one-line description of history events for exact-history assertions.
// Thread-compatible (tests drive everything from one thread with a FakeClock).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "durable/base/clock.h"
#include "durable/engine/engine.h"
#include "durable/store/memory_store.h"

namespace durable::engine::testing {

class FakeInvoker final : public Invoker {
 public:
  struct Call {
    InvocationRequest request;
    std::function<void(InvocationResult)> done;
  };
  bool Has(const std::string&) const override { return true; }
  void Invoke(InvocationRequest request, std::function<void(InvocationResult)> done) override;
  size_t Pending() const;
  Call Pop();  // REQUIRES: Pending() > 0
  // For real-clock tests: waits up to `timeout` for the next invocation.
  std::optional<Call> WaitPop(std::chrono::milliseconds timeout);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Call> calls_;
};

class Harness;

// One invocation as the SDK sees it.
class Session {
 public:
  Session(Harness* h, FakeInvoker::Call call);
  const model::InvocationInput& input() const { return call_.request.input; }
  const std::string& request_id() const { return call_.request.request_id; }
  const std::string& token() const { return token_; }
  // Checkpoints with the latest token; the new token (if any) becomes the latest.
  Result<model::CheckpointResponse> TryCheckpoint(std::vector<model::OperationUpdate> updates,
                                                  std::string client_token = "");
  model::CheckpointResponse Checkpoint(std::vector<model::OperationUpdate> updates);
  void ReturnPending();
  void ReturnSucceeded(std::optional<std::string> result);
  void ReturnFailed(model::ErrorObject error);
  void Crash(std::string message = "exit status 1");  // Runtime.ExitError
  void Finish(InvocationResult result);

 private:
  Harness* h_;
  FakeInvoker::Call call_;
  std::string token_;
};

class Harness {
 public:
  explicit Harness(Limits limits = {}, model::DurableConfig config = {});
  Engine& engine() { return *engine_; }
  FakeClock& clock() { return clock_; }
  store::MemoryStore& store() { return store_; }
  FakeInvoker& invoker() { return invoker_; }
  // Starts an execution of "fn" and returns its ARN.
  std::string Start(std::optional<std::string> payload = "{}",
                    std::optional<std::string> name = std::nullopt);
  // The next queued invocation (fails the test if there is none).
  Session Next();
  size_t PendingInvocations() const { return invoker_.Pending(); }
  void Advance(int64_t ms);  // moves the clock and runs due timers
  std::vector<std::string> History(const std::string& arn);
  model::DurableExecution Execution(const std::string& arn);
  // Recreates the engine on the same store (a restart) and calls Start().
  void Restart();
  // Restarts keeping the `n` most recently suspended executions in memory (the harness keeps
  // none, so that tests see suspended executions read back from the store).
  void KeepSuspended(size_t n) {
    keep_suspended_ = n;
    Restart();
  }

 private:
  EngineOptions Options() const;
  FakeClock clock_;
  store::MemoryStore store_;
  FakeInvoker invoker_;
  Limits limits_;
  model::DurableConfig config_;
  size_t keep_suspended_ = 0;
  std::unique_ptr<Engine> engine_;
};

// "<EventId> <EventType> [id=] [parent=] [sub=] [name=] <details>" (see engine_test_util.cc).
std::string Describe(const model::Event& event);

// Update builders.
model::OperationUpdate StepStart(const std::string& id, const std::string& name = "",
                                 const std::string& sub_type = "Step");
model::OperationUpdate StepSucceed(const std::string& id, std::optional<std::string> payload);
model::OperationUpdate StepFail(const std::string& id, model::ErrorObject error);
model::OperationUpdate StepRetry(const std::string& id, std::optional<model::ErrorObject> error,
                                 std::optional<std::string> payload, int64_t delay_seconds);
model::OperationUpdate WaitStart(const std::string& id, int64_t seconds);
model::OperationUpdate CallbackStart(const std::string& id, int64_t timeout = 0,
                                     int64_t heartbeat = 0);
model::OperationUpdate ContextStart(const std::string& id, const std::string& sub_type);
model::OperationUpdate ContextSucceed(const std::string& id, std::optional<std::string> payload,
                                      std::optional<bool> replay_children = std::nullopt);
model::OperationUpdate InvokeStart(const std::string& id, const std::string& function,
                                   std::optional<std::string> payload);
model::OperationUpdate ExecutionUpdate(model::OperationAction action,
                                       std::optional<std::string> payload,
                                       std::optional<model::ErrorObject> error = std::nullopt);
model::OperationUpdate WithParent(model::OperationUpdate u, const std::string& parent);
model::ErrorObject Err(const std::string& type, const std::string& message);

}  // namespace durable::engine::testing
