// Starting executions (protocol.md §12.1/§12.2) and recovering RUNNING ones after a restart.
#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {

Result<std::optional<model::StartResponse>> EngineImpl::FindExisting(
    const std::string& function, const std::string& name,
    const std::optional<std::string>& payload) {
  auto found = store_->FindByName(function, name);
  if (!found.ok()) return Internal("looking up execution name: " + found.status().message());
  if (!found->has_value()) return std::optional<model::StartResponse>();
  const model::DurableExecution& existing = **found;
  if (existing.input_payload.value_or("") != payload.value_or("")) {
    return AlreadyExists("A durable execution named '" + name + "' already exists for function '" +
                         function + "' with a different input: " + existing.arn);
  }
  // Same name and payload, running or closed: idempotent, return the existing execution.
  DURABLE_ASSIGN_OR_RETURN(LockedLive live, LockLive(existing.arn));
  return std::optional<model::StartResponse>(model::StartResponse{live->state.execution, false});
}

Result<model::StartResponse> EngineImpl::StartInternal(const model::StartRequest& request,
                                                       std::optional<std::string> execution_id) {
  DURABLE_ASSIGN_OR_RETURN(ResolvedFunction fn, Resolve(request.function_name, request.qualifier));
  std::string name = request.durable_execution_name.value_or(NewUuid());
  if (!ValidExecutionName(name)) {
    return InvalidArgument("DurableExecutionName must be 1-64 characters of [a-zA-Z0-9-_].");
  }
  if (request.payload && request.payload->size() > options_.limits.max_payload_chars) {
    return PayloadTooLarge("Request payload exceeds the maximum of " +
                           std::to_string(options_.limits.max_payload_chars) + " characters.");
  }
  if (request.durable_execution_name) {
    DURABLE_ASSIGN_OR_RETURN(auto existing, FindExisting(fn.name, name, request.payload));
    if (existing) return *existing;
  }
  FunctionConfig config = FindFunction(fn.name).value_or(FunctionConfig{});
  model::DurableExecution ex;
  ex.execution_id = execution_id.value_or(NewUuid());
  ex.name = name;
  ex.function_name = fn.name;
  ex.version = fn.version;
  ex.function_arn = fn.function_arn;
  ex.arn = BuildExecutionArn(options_.region, options_.account_id, fn.name, fn.version, name,
                             ex.execution_id);
  ex.input_payload = request.payload;
  ex.config = config.durable;
  ex.tenant_id = request.tenant_id;
  ex.trace_header = request.trace_header;
  ex.parent_arn = request.parent_arn;
  ex.parent_operation_id = request.parent_operation_id;

  TimestampMs now = clock_->NowMs();
  auto live = std::make_shared<Live>();
  Effects fx;
  {
    std::lock_guard<std::mutex> lock(live->mu);
    Transition t;
    ExecutionState scratch = NewExecution(ex, now, t);
    ScheduleInvocation(*live, scratch, t, 0, fx);
    store::Commit commit = BuildCommit(scratch, t);
    Status st = store_->Create(commit);
    if (st.code() == StatusCode::kAlreadyExists) {
      // Lost a race with an identical named start.
      DURABLE_ASSIGN_OR_RETURN(auto existing, FindExisting(fn.name, name, request.payload));
      if (existing) return *existing;
      return Unavailable("concurrent start of " + name + "; retry");
    }
    if (!st.ok()) return Internal("storage error: " + st.message());
    live->state = std::move(scratch);
    live->inflight = std::move(fx.pending_inflight);
    fx.pending_inflight.reset();
    fx.arn = ex.arn;
    fx.wake_timers = true;
    for (const auto& timer : t.timers_set) {
      fx.earliest_timer = std::min(fx.earliest_timer, timer.due_at);
    }
    std::lock_guard<std::mutex> registry(live_mu_);
    live_[ex.arn] = live;
  }
  model::StartResponse response{live->state.execution, true};
  RunEffects(std::move(fx));
  return response;
}

void EngineImpl::Recover(const std::string& arn) {
  Status st = Mutate(arn, [&](Live& live, ExecutionState& s, Transition& t) {
    TimestampMs now = clock_->NowMs();
    if (s.Closing()) {
      FinishClosing(s, std::nullopt, now, t);
      return Status::Ok();
    }
    // An invocation that was wanted or in flight when the server stopped is retried.
    if (s.execution.invoke_at && *s.execution.invoke_at <= now) t.request_invocation = true;
    for (size_t i = 0; i < s.operations.size(); ++i) {
      auto& rec = s.At(i);
      if (rec.operation.type != model::OperationType::kChainedInvoke ||
          rec.operation.status != model::OperationStatus::kStarted || !rec.meta.invoke_child_arn) {
        continue;
      }
      auto child = store_->Load(*rec.meta.invoke_child_arn);
      if (child.ok()) {
        if (model::IsTerminal(child->execution.status)) {
          CompleteChainedInvoke(s, rec, child->execution, now, t);
        }
        continue;
      }
      // The child was allocated but never started: start it now (same name and id).
      const std::string& child_arn = *rec.meta.invoke_child_arn;
      Result<ResolvedFunction> fn = Resolve(rec.meta.invoke_function_name.value_or(""), {});
      if (!fn.ok()) {
        FailChainedInvoke(s, rec, MakeError("ResourceNotFoundException", fn.status().message()),
                          now, t);
        continue;
      }
      ChainedStart cs;
      cs.operation_id = rec.operation.id;
      cs.child_execution_id = child_arn.substr(child_arn.rfind('/') + 1);
      cs.request.function_name = fn->name;
      cs.request.qualifier = fn->version;
      cs.request.durable_execution_name =
          ChildExecutionName(s.execution.execution_id, rec.operation.id);
      cs.request.payload = rec.meta.invoke_input;
      cs.request.tenant_id = rec.meta.invoke_tenant_id;
      cs.request.parent_arn = s.execution.arn;
      cs.request.parent_operation_id = rec.operation.id;
      t.chained_starts.push_back(std::move(cs));
    }
    (void)live;
    return Status::Ok();
  });
  if (!st.ok()) log::Warn("recovering {}: {}", arn, st.ToString());
}

Status EngineImpl::Start() {
  auto running = store_->RunningExecutions();
  if (!running.ok()) return Internal("listing running executions: " + running.status().message());
  for (const auto& arn : *running) Recover(arn);
  if (options_.run_timer_thread && !timer_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(timer_mu_);
      stopping_ = false;
    }
    timer_thread_ = std::thread([this] { TimerLoop(); });
  }
  return Status::Ok();
}

}  // namespace durable::engine
