#include "durable/engine/engine_impl.h"

#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/base/macros.h"
#include "durable/engine/core.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {

std::unique_ptr<Engine> Engine::Create(store::Store* store, Invoker* invoker, const Clock* clock,
                                       EngineOptions options) {
  return std::make_unique<EngineImpl>(store, invoker, clock, std::move(options));
}

EngineImpl::EngineImpl(store::Store* store, Invoker* invoker, const Clock* clock,
                       EngineOptions options)
    : store_(store), invoker_(invoker), clock_(clock), options_(std::move(options)) {
  if (options_.node_id.empty()) options_.node_id = "node-" + RandomAlnum(12);
}

EngineImpl::~EngineImpl() { Shutdown(); }

void EngineImpl::RegisterFunction(FunctionConfig config) {
  std::lock_guard<std::mutex> lock(registry_mu_);
  std::string name = config.name;
  functions_[name] = std::move(config);
}

std::optional<FunctionConfig> EngineImpl::FindFunction(const std::string& name) const {
  std::lock_guard<std::mutex> lock(registry_mu_);
  auto it = functions_.find(name);
  if (it == functions_.end()) return std::nullopt;
  return it->second;
}

Result<ResolvedFunction> EngineImpl::Resolve(const std::string& function_name,
                                             const std::optional<std::string>& qualifier) const {
  std::optional<FunctionRef> ref = ParseFunctionName(function_name);
  if (!ref) return NotFound("Function not found: " + function_name);
  std::optional<std::string> q = qualifier;
  if (ref->qualifier) {
    if (q && *q != *ref->qualifier) {
      return InvalidArgument(
          "The derived qualifier from the function name does not match the specified qualifier.");
    }
    q = ref->qualifier;
  }
  std::string arn = "arn:aws:lambda:" + ref->region.value_or(options_.region) + ":" +
                    ref->account.value_or(options_.account_id) + ":function:" + ref->name;
  if (q) arn += ":" + *q;
  bool here = ref->region.value_or(options_.region) == options_.region &&
              ref->account.value_or(options_.account_id) == options_.account_id;
  if (!here || !FindFunction(ref->name) || (q && *q != "$LATEST")) {
    return NotFound("Function not found: " + arn);
  }
  return ResolvedFunction{
      ref->name, "$LATEST",
      BuildFunctionArn(options_.region, options_.account_id, ref->name, "$LATEST")};
}

CoreContext EngineImpl::MakeContext() const {
  CoreContext ctx;
  ctx.now = clock_->NowMs();
  ctx.limits = options_.limits;
  ctx.region = options_.region;
  ctx.account_id = options_.account_id;
  ctx.new_callback_id = [](const std::string& arn) { return NewCallbackId(arn); };
  ctx.new_execution_id = [] { return NewUuid(); };
  ctx.resolve = [this](const std::string& name, const std::optional<std::string>& q) {
    return Resolve(name, q);
  };
  return ctx;
}

Result<std::shared_ptr<Live>> EngineImpl::GetLive(const std::string& arn, bool cache) {
  while (true) {
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(live_mu_);
      auto it = live_.find(arn);
      if (it != live_.end()) return it->second;
      generation = live_generation_;
    }
    // Loaded without holding the cache mutex, so loads of different executions overlap.
    Result<store::ExecutionSnapshot> snap = store_->Load(arn);
    if (!snap.ok()) {
      if (snap.status().code() == StatusCode::kNotFound) {
        return NotFound("Durable execution not found: " + arn);
      }
      return Internal("loading " + arn + ": " + snap.status().message());
    }
    auto live = std::make_shared<Live>();
    live->state = ExecutionState::FromSnapshot(std::move(snap).value());
    if (live->state.operations.empty()) return Internal("execution without EXECUTION operation");
    if (!cache) return live;  // a private copy for a read; never changed, never cached
    std::lock_guard<std::mutex> lock(live_mu_);
    auto it = live_.find(arn);
    if (it != live_.end()) return it->second;  // another thread loaded it meanwhile
    // An execution dropped from the cache while we loaded may have changed after our snapshot
    // was read (it was cached then): load again.
    if (generation != live_generation_) continue;
    // Only RUNNING executions are cached; a closed one is read-only and reloaded when needed.
    if (live->state.Running()) live_[arn] = live;
    return live;
  }
}

Result<LockedLive> EngineImpl::LockLive(const std::string& arn) {
  while (true) {
    LockedLive locked;
    DURABLE_ASSIGN_OR_RETURN(locked.live, GetLive(arn));
    locked.lock = std::unique_lock<std::mutex>(locked.live->mu);
    if (!locked.live->evicted) return locked;
  }
}

void EngineImpl::MaybeEvictLocked(Live& live) {
  if (!live.state.Open() || live.inflight || !live.updated_since_invocation.empty() ||
      !live.closed_children.empty() || live.purged) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(live_mu_);
    auto it = live_.find(live.state.execution.arn);
    if (it == live_.end() || it->second.get() != &live) return;
    live_.erase(it);
    ++live_generation_;
  }
  live.evicted = true;
  live.closed_cv.notify_all();  // AwaitClosed waiters move to the reloaded object
}

void EngineImpl::KeepSuspendedLocked(const std::shared_ptr<Live>& live) {
  std::shared_ptr<Live> oldest;
  {
    std::lock_guard<std::mutex> lock(live_mu_);
    // Once per execution, at its latest suspension (a resumed one leaves an entry behind).
    std::erase(suspended_, live);
    suspended_.push_back(live);
    if (suspended_.size() <= options_.keep_suspended) return;
    oldest = std::move(suspended_.front());
    suspended_.pop_front();
  }
  if (oldest == live) {
    MaybeEvictLocked(*live);
    return;
  }
  // Another execution: only if its lock is free (one lock held at a time elsewhere, so waiting
  // here could deadlock). A busy one goes back to the front, for the next suspension to evict.
  std::unique_lock<std::mutex> other(oldest->mu, std::try_to_lock);
  if (other.owns_lock()) {
    MaybeEvictLocked(*oldest);
    return;
  }
  std::lock_guard<std::mutex> lock(live_mu_);
  suspended_.push_front(std::move(oldest));
}

bool EngineImpl::Loaded(const std::string& arn) {
  std::lock_guard<std::mutex> lock(live_mu_);
  return live_.count(arn) != 0;
}

size_t EngineImpl::LoadedExecutions() {
  std::lock_guard<std::mutex> lock(live_mu_);
  return live_.size();
}

Status EngineImpl::CommitLocked(Live& live, ExecutionState& scratch, Transition& t, Effects& fx,
                                std::optional<store::CheckpointReplay> replay) {
  store::Commit commit = BuildCommit(scratch, t);
  commit.replay = std::move(replay);
  Status st = store_->Apply(commit);
  if (!st.ok()) {
    fx.invoke.reset();
    fx.pending_inflight.reset();
    log::Error("commit for {} failed: {}", scratch.execution.arn, st.ToString());
    // Never a 4xx for a storage problem: SDKs would fail the execution (protocol.md §2.1).
    if (st.code() == StatusCode::kUnavailable) return st;
    return Internal("storage error: " + st.message());
  }
  if (&scratch != &live.state) live.state = std::move(scratch);
  auto add_unique = [](std::vector<std::string>& v, const std::string& id) {
    if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
  };
  for (const auto& id : t.async_changed_ids) {
    add_unique(live.updated_since_invocation, id);
    if (live.inflight) add_unique(live.inflight->undelivered, id);
  }
  if (fx.pending_inflight) {
    live.inflight = std::move(*fx.pending_inflight);
    fx.pending_inflight.reset();
    live.updated_since_invocation.clear();
  }
  fx.arn = live.state.execution.arn;
  for (auto& cs : t.chained_starts) fx.chained_starts.push_back(std::move(cs));
  for (auto& c : t.children_to_stop) fx.children_to_stop.push_back(std::move(c));
  for (const auto& timer : t.timers_set) {
    fx.wake_timers = true;
    fx.earliest_timer = std::min(fx.earliest_timer, timer.due_at);
  }
  if (t.closed) {
    fx.closed = live.state.execution;
    live.closed_cv.notify_all();
  }
  return Status::Ok();
}

void EngineImpl::RunEffects(Effects fx) {
  for (const auto& cs : fx.chained_starts) {
    Result<model::StartResponse> child = StartInternal(cs.request, cs.child_execution_id);
    if (!child.ok()) {
      std::string op_id = cs.operation_id;
      model::ErrorObject error =
          MakeError(std::string(StatusCodeName(child.status().code())), child.status().message());
      Status st = Mutate(fx.arn, [&](Live&, ExecutionState& s, Transition& t) {
        if (auto* op = s.Find(op_id)) FailChainedInvoke(s, *op, error, clock_->NowMs(), t);
        return Status::Ok();
      });
      if (!st.ok()) log::Warn("failing chained invoke {}: {}", op_id, st.ToString());
    } else if (!child->created && model::IsTerminal(child->execution.status)) {
      NotifyParent(child->execution);
    }
  }
  for (const auto& child : fx.children_to_stop) {
    (void)Stop(child, MakeError("ChainedInvoke.Cancelled", "The chained invoke was cancelled"));
  }
  if (fx.early_done) OnInvocationDone(fx.arn, fx.invocation_id, std::move(*fx.early_done));
  Dispatch(fx.arn, fx, /*before_commit=*/false);
  if (fx.closed) {
    // Closed executions are read-only: drop them from the cache (reads reload from the store).
    {
      std::lock_guard<std::mutex> lock(live_mu_);
      live_.erase(fx.closed->arn);
      ++live_generation_;
    }
    if (fx.closed->parent_arn) NotifyParent(*fx.closed);
  }
  if (fx.wake_timers) WakeTimers(fx.earliest_timer == INT64_MAX ? 0 : fx.earliest_timer);
}

void EngineImpl::Dispatch(const std::string& arn, Effects& fx, bool before_commit) {
  if (!fx.invoke) return;
  InvocationRequest request = std::move(*fx.invoke);
  fx.invoke.reset();
  // Before the commit, an end reported while Invoke still runs is held for RunEffects.
  struct Held {
    std::mutex mu;
    bool invoking = true;
    std::optional<InvocationResult> result;
  };
  std::shared_ptr<Held> held = before_commit ? std::make_shared<Held>() : nullptr;
  invoker_->Invoke(std::move(request),
                   [this, arn, id = fx.invocation_id, held](InvocationResult r) {
                     if (held) {
                       std::lock_guard<std::mutex> lock(held->mu);
                       if (held->invoking) {
                         held->result = std::move(r);
                         return;
                       }
                     }
                     OnInvocationDone(arn, id, std::move(r));
                   });
  if (!held) return;
  std::lock_guard<std::mutex> lock(held->mu);
  held->invoking = false;
  fx.early_done = std::move(held->result);
}

void EngineImpl::NotifyParent(const model::DurableExecution& child) {
  if (!child.parent_arn || !child.parent_operation_id) return;
  std::string op_id = *child.parent_operation_id;
  Status st = Mutate(*child.parent_arn, [&](Live& live, ExecutionState& s, Transition& t) {
    if (live.inflight) {
      live.closed_children.push_back(child);
      return Status::Ok();
    }
    auto* op = s.Find(op_id);
    if (op && op->operation.type == model::OperationType::kChainedInvoke &&
        op->meta.invoke_child_arn == child.arn) {
      CompleteChainedInvoke(s, *op, child, clock_->NowMs(), t);
    }
    return Status::Ok();
  });
  if (!st.ok()) log::Warn("completing chained invoke of {}: {}", child.arn, st.ToString());
}

Result<model::StartResponse> EngineImpl::StartExecution(const model::StartRequest& request) {
  return StartInternal(request, std::nullopt);
}

Result<model::DurableExecution> EngineImpl::AwaitClosed(const std::string& arn,
                                                        std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    DURABLE_ASSIGN_OR_RETURN(LockedLive live, LockLive(arn));
    live->closed_cv.wait_until(live.lock, deadline, [&] {
      return !live->state.Running() || live->purged || live->evicted;
    });
    if (!live->evicted || std::chrono::steady_clock::now() >= deadline) {
      return live->state.execution;
    }
  }
}

void EngineImpl::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  if (timer_thread_.joinable()) timer_thread_.join();
  {
    std::lock_guard<std::mutex> lock(fire_mu_);
    // The workers fire what is queued and due, wait a claim-ahead window for what was claimed
    // early, then stop.
    fire_stopping_ = true;
    fire_stop_deadline_ = std::chrono::steady_clock::now() + kFireStopGrace;
  }
  fire_cv_.notify_all();
  fire_lead_cv_.notify_all();
  for (auto& w : fire_workers_) w.join();
  fire_workers_.clear();
}

}  // namespace durable::engine
