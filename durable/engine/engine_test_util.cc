#include "durable/engine/engine_test_util.h"

#include <gtest/gtest.h>

namespace durable::engine::testing {

void FakeInvoker::Invoke(InvocationRequest request, std::function<void(InvocationResult)> done) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back({std::move(request), std::move(done)});
  cv_.notify_all();
}

size_t FakeInvoker::Pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_.size();
}

FakeInvoker::Call FakeInvoker::Pop() {
  std::lock_guard<std::mutex> lock(mu_);
  Call c = std::move(calls_.front());
  calls_.pop_front();
  return c;
}

std::optional<FakeInvoker::Call> FakeInvoker::WaitPop(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return !calls_.empty(); })) return std::nullopt;
  Call c = std::move(calls_.front());
  calls_.pop_front();
  return c;
}

Session::Session(Harness* h, FakeInvoker::Call call)
    : h_(h), call_(std::move(call)), token_(call_.request.input.checkpoint_token) {}

Result<model::CheckpointResponse> Session::TryCheckpoint(
    std::vector<model::OperationUpdate> updates, std::string client_token) {
  model::CheckpointRequest request;
  request.checkpoint_token = token_;
  if (!client_token.empty()) request.client_token = client_token;
  request.updates = std::move(updates);
  auto response = h_->engine().Checkpoint(call_.request.input.durable_execution_arn, request);
  if (response.ok() && response->checkpoint_token) token_ = *response->checkpoint_token;
  return response;
}

model::CheckpointResponse Session::Checkpoint(std::vector<model::OperationUpdate> updates) {
  auto response = TryCheckpoint(std::move(updates));
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? *response : model::CheckpointResponse{};
}

void Session::Finish(InvocationResult result) { call_.done(std::move(result)); }

void Session::ReturnPending() {
  Finish({model::InvocationOutput{model::InvocationStatus::kPending, {}, {}}, std::nullopt});
}

void Session::ReturnSucceeded(std::optional<std::string> result) {
  Finish({model::InvocationOutput{model::InvocationStatus::kSucceeded, result, {}}, std::nullopt});
}

void Session::ReturnFailed(model::ErrorObject error) {
  Finish({model::InvocationOutput{model::InvocationStatus::kFailed, {}, error}, std::nullopt});
}

void Session::Crash(std::string message) {
  Finish({std::nullopt, Err("Runtime.ExitError", message)});
}

Harness::Harness(Limits limits, model::DurableConfig config) : limits_(limits), config_(config) {
  engine_ = Engine::Create(&store_, &invoker_, &clock_, Options());
  engine_->RegisterFunction({"fn", config_, 900});
  engine_->RegisterFunction({"child", config_, 900});
}

EngineOptions Harness::Options() const {
  EngineOptions o;
  o.limits = limits_;
  o.node_id = "test-node";
  o.run_timer_thread = false;
  o.keep_suspended = keep_suspended_;
  return o;
}

std::string Harness::Start(std::optional<std::string> payload, std::optional<std::string> name) {
  model::StartRequest request;
  request.function_name = "fn";
  request.qualifier = "$LATEST";
  request.payload = std::move(payload);
  request.durable_execution_name = std::move(name);
  auto started = engine_->StartExecution(request);
  EXPECT_TRUE(started.ok()) << started.status().ToString();
  return started.ok() ? started->execution.arn : "";
}

Session Harness::Next() {
  EXPECT_GT(invoker_.Pending(), 0u) << "no invocation queued";
  if (invoker_.Pending() == 0) {
    InvocationRequest none;
    return Session(this, {none, [](InvocationResult) {}});
  }
  return Session(this, invoker_.Pop());
}

void Harness::Advance(int64_t ms) {
  clock_.AdvanceMs(ms);
  engine_->RunDueTimersForTest();
}

std::vector<std::string> Harness::History(const std::string& arn) {
  auto history = engine_->GetHistory(arn, {});
  EXPECT_TRUE(history.ok()) << history.status().ToString();
  std::vector<std::string> out;
  if (history.ok()) {
    for (const auto& e : history->events) out.push_back(Describe(e));
  }
  return out;
}

model::DurableExecution Harness::Execution(const std::string& arn) {
  auto ex = engine_->GetExecution(arn);
  EXPECT_TRUE(ex.ok()) << ex.status().ToString();
  return ex.ok() ? *ex : model::DurableExecution{};
}

void Harness::Restart() {
  engine_->Shutdown();
  engine_ = Engine::Create(&store_, &invoker_, &clock_, Options());
  engine_->RegisterFunction({"fn", config_, 900});
  engine_->RegisterFunction({"child", config_, 900});
  Status st = engine_->Start();
  EXPECT_TRUE(st.ok()) << st.ToString();
}

std::string Describe(const model::Event& e) {
  using model::EventType;
  std::string s = std::to_string(e.event_id) + " " + std::string(model::ToString(e.type));
  bool execution_event =
      e.type == EventType::kExecutionStarted || e.type == EventType::kExecutionSucceeded ||
      e.type == EventType::kExecutionFailed || e.type == EventType::kExecutionTimedOut ||
      e.type == EventType::kExecutionStopped;
  if (e.id && !execution_event) s += " id=" + *e.id;
  if (e.parent_id) s += " parent=" + *e.parent_id;
  if (e.sub_type) s += " sub=" + *e.sub_type;
  if (e.name) s += " name=" + *e.name;
  if (e.input) s += " input=" + e.input->payload.value_or("<none>");
  if (e.result) s += " result=" + e.result->payload.value_or("<none>");
  if (e.error) {
    s += " error=";
    s += e.error->payload ? e.error->payload->error_type.value_or("") + ":" +
                                e.error->payload->error_message.value_or("")
                          : "<none>";
  }
  if (e.retry_details) {
    if (e.retry_details->current_attempt) {
      s += " attempt=" + std::to_string(*e.retry_details->current_attempt);
    }
    if (e.retry_details->next_attempt_delay_seconds) {
      s += " delay=" + std::to_string(*e.retry_details->next_attempt_delay_seconds);
    }
  }
  if (e.duration) s += " duration=" + std::to_string(*e.duration);
  if (e.execution_timeout) s += " timeout=" + std::to_string(*e.execution_timeout);
  if (e.callback_id) s += " callback";
  if (e.timeout) s += " cbtimeout=" + std::to_string(*e.timeout);
  if (e.heartbeat_timeout) s += " heartbeat=" + std::to_string(*e.heartbeat_timeout);
  if (e.function_name) s += " fn=" + *e.function_name;
  if (e.tenant_id) s += " tenant=" + *e.tenant_id;
  if (e.executed_version) s += " version=" + *e.executed_version;
  if (e.durable_execution_arn) s += " child";
  return s;
}

model::OperationUpdate StepStart(const std::string& id, const std::string& name,
                                 const std::string& sub_type) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kStep;
  u.sub_type = sub_type;
  if (!name.empty()) u.name = name;
  u.action = model::OperationAction::kStart;
  return u;
}

model::OperationUpdate StepSucceed(const std::string& id, std::optional<std::string> payload) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kStep;
  u.action = model::OperationAction::kSucceed;
  u.payload = std::move(payload);
  return u;
}

model::OperationUpdate StepFail(const std::string& id, model::ErrorObject error) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kStep;
  u.action = model::OperationAction::kFail;
  u.error = std::move(error);
  return u;
}

model::OperationUpdate StepRetry(const std::string& id, std::optional<model::ErrorObject> error,
                                 std::optional<std::string> payload, int64_t delay_seconds) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kStep;
  u.action = model::OperationAction::kRetry;
  u.error = std::move(error);
  u.payload = std::move(payload);
  u.step_options = model::StepOptions{delay_seconds};
  return u;
}

model::OperationUpdate WaitStart(const std::string& id, int64_t seconds) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kWait;
  u.sub_type = "Wait";
  u.action = model::OperationAction::kStart;
  u.wait_options = model::WaitOptions{seconds};
  return u;
}

model::OperationUpdate CallbackStart(const std::string& id, int64_t timeout, int64_t heartbeat) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kCallback;
  u.sub_type = "Callback";
  u.action = model::OperationAction::kStart;
  u.callback_options = model::CallbackOptions{timeout, heartbeat};
  return u;
}

model::OperationUpdate ContextStart(const std::string& id, const std::string& sub_type) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kContext;
  u.sub_type = sub_type;
  u.action = model::OperationAction::kStart;
  return u;
}

model::OperationUpdate ContextSucceed(const std::string& id, std::optional<std::string> payload,
                                      std::optional<bool> replay_children) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kContext;
  u.action = model::OperationAction::kSucceed;
  u.payload = std::move(payload);
  if (replay_children) u.context_options = model::ContextOptions{replay_children};
  return u;
}

model::OperationUpdate InvokeStart(const std::string& id, const std::string& function,
                                   std::optional<std::string> payload) {
  model::OperationUpdate u;
  u.id = id;
  u.type = model::OperationType::kChainedInvoke;
  u.sub_type = "ChainedInvoke";
  u.action = model::OperationAction::kStart;
  u.payload = std::move(payload);
  u.chained_invoke_options = model::ChainedInvokeOptions{function, std::nullopt};
  return u;
}

model::OperationUpdate ExecutionUpdate(model::OperationAction action,
                                       std::optional<std::string> payload,
                                       std::optional<model::ErrorObject> error) {
  model::OperationUpdate u;
  u.id = "execution-result-1";
  u.type = model::OperationType::kExecution;
  u.action = action;
  u.payload = std::move(payload);
  u.error = std::move(error);
  return u;
}

model::OperationUpdate WithParent(model::OperationUpdate u, const std::string& parent) {
  u.parent_id = parent;
  return u;
}

model::ErrorObject Err(const std::string& type, const std::string& message) {
  model::ErrorObject e;
  e.error_type = type;
  e.error_message = message;
  return e;
}

}  // namespace durable::engine::testing
