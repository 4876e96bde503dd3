// Engine: the service side of the AWS Lambda durable execution protocol (protocol.md §6–§12).
// It validates and applies checkpoints, emits history events, owns timers (waits, step retries,
// callback and heartbeat timeouts, execution timeouts), completes callbacks, runs chained
// invokes and decides when to (re-)invoke a function. It knows no transport and no SQL: it talks
// to a Store, an Invoker and a Clock. Thread-safe; one mutex per execution.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "durable/base/clock.h"
#include "durable/base/result.h"
#include "durable/engine/invoker.h"
#include "durable/model/api.h"
#include "durable/store/store.h"

namespace durable::engine {

// A function the engine may invoke (from the template).
struct FunctionConfig {
  std::string name;  // logical id; the function name in ARNs and paths
  model::DurableConfig durable;
  int64_t timeout_seconds = 900;  // per-invocation function timeout
};

struct Limits {
  size_t max_payload_chars = model::kMaxPayloadChars;  // per update payload / invoke payload
  size_t max_callback_result_bytes = 1 << 20;          // SendDurableExecutionCallbackSuccess body
  size_t max_error_bytes = model::kMaxErrorBytes;
  int32_t max_invocation_failures = 5;     // consecutive failed invocations
  int64_t invocation_retry_base_ms = 200;  // backoff base, doubles per failure
  int64_t invocation_retry_max_ms = 10'000;
  size_t envelope_page_bytes = 5 << 20;  // envelope / GetState page budget (approximate bytes)
  int64_t timer_lease_ms = 30'000;       // lease on claimed timers
  int64_t invocation_watchdog_margin_ms = 60'000;  // beyond the function timeout
};

struct EngineOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  std::string node_id;  // lease owner name; random if empty
  Limits limits;
  bool run_timer_thread = true;  // false: tests drive timers with RunDueTimersForTest()
  // How many of the most recently suspended executions stay in memory (a callback or a short
  // wait usually resumes them soon; the others are read back from the store when they resume).
  // Bounded, so that memory does not grow with the number of suspended executions. 0: none.
  size_t keep_suspended = 64;
};

class Engine {
 public:
  // Does not take ownership of store, invoker, clock; they must outlive the engine.
  static std::unique_ptr<Engine> Create(store::Store* store, Invoker* invoker, const Clock* clock,
                                        EngineOptions options);
  virtual ~Engine() = default;

  // Registers (or replaces) a function the engine may start executions of.
  virtual void RegisterFunction(FunctionConfig config) = 0;
  // Recovers RUNNING executions from the store and starts the timer loop.
  virtual Status Start() = 0;
  // Stops the timer loop; waits for in-flight engine work (not for invocations to finish).
  virtual void Shutdown() = 0;

  // Invoke: starts (or idempotently re-attaches to) a durable execution.
  virtual Result<model::StartResponse> StartExecution(const model::StartRequest& request) = 0;
  // Blocks until the execution is closed or `timeout` passes; returns the latest record.
  virtual Result<model::DurableExecution> AwaitClosed(const std::string& arn,
                                                      std::chrono::milliseconds timeout) = 0;

  virtual Result<model::CheckpointResponse> Checkpoint(const std::string& arn,
                                                       const model::CheckpointRequest& request) = 0;
  virtual Result<model::StateResponse> GetState(const std::string& arn,
                                                const model::StateRequest& request) = 0;
  virtual Result<model::DurableExecution> GetExecution(const std::string& arn) = 0;
  virtual Result<model::HistoryResponse> GetHistory(const std::string& arn,
                                                    const model::HistoryRequest& request) = 0;
  virtual Result<model::ListResponse> ListExecutions(const model::ListRequest& request) = 0;
  // Returns the stop timestamp.
  virtual Result<TimestampMs> Stop(const std::string& arn,
                                   const std::optional<model::ErrorObject>& error) = 0;

  virtual Status CallbackSucceed(const std::string& callback_id, const std::string& result) = 0;
  virtual Status CallbackFail(const std::string& callback_id, const model::ErrorObject& error) = 0;
  virtual Status CallbackHeartbeat(const std::string& callback_id) = 0;

  // Runs due timers now (tests with FakeClock call this instead of waiting for the loop).
  virtual void RunDueTimersForTest() = 0;
};

}  // namespace durable::engine
