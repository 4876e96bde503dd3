// The invocation state machine (protocol.md §12.3, §12.6, §12.7; review findings 7, 8, 9, 14):
// at most one invocation in flight per execution, a fresh request id and token per invocation,
// InvocationCompleted after each, closing on SUCCEEDED/FAILED output, re-invoking after PENDING
// only when something changed that the invocation did not see, and retrying function errors with
// exponential backoff up to a budget.
#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {
namespace {

store::TimerKey InvokeKey(const std::string& arn) { return {arn, store::TimerKind::kInvoke, ""}; }

}  // namespace

void EngineImpl::ScheduleInvocation(Live& live, ExecutionState& scratch, Transition& t,
                                    int64_t delay_ms, Effects& fx) {
  t.request_invocation = false;
  if (!scratch.Open() || live.inflight || fx.pending_inflight) return;
  const std::string& arn = scratch.execution.arn;
  TimestampMs now = clock_->NowMs();
  if (delay_ms > 0) {
    scratch.execution.invoke_at = now + delay_ms;
    t.SetTimer({InvokeKey(arn), now + delay_ms});
    return;
  }
  std::optional<FunctionConfig> config = FindFunction(scratch.execution.function_name);
  int64_t timeout_ms = config ? config->timeout_seconds * 1000 : 0;

  Inflight inf;
  inf.invocation_id = NewUuid();
  inf.request_id = NewUuid();
  inf.started_at = now;
  inf.next_snapshot = 2;

  InvocationRequest request;
  request.function_name = scratch.execution.function_name;
  request.request_id = inf.request_id;
  request.timeout_ms = timeout_ms;
  request.input.durable_execution_arn = arn;
  request.input.checkpoint_token =
      MakeCheckpointToken({scratch.execution.execution_id, inf.invocation_id, 1});
  std::vector<model::Operation> visible = VisibleOperations(scratch);
  size_t bytes = 0;
  for (const auto& op : visible) bytes += ApproxSize(op);
  if (bytes <= options_.limits.envelope_page_bytes) {
    // One page (the usual case): the operations go into the envelope as they are, without a
    // snapshot kept for paging markers (no marker can refer to it).
    request.input.initial_execution_state.operations = std::move(visible);
  } else {
    inf.snapshots[1] = std::move(visible);
    model::StateResponse first = Page(inf, 1, 0, SIZE_MAX);
    request.input.initial_execution_state.operations = std::move(first.operations);
    request.input.initial_execution_state.next_marker = std::move(first.next_marker);
  }
  std::vector<std::string> updated = live.updated_since_invocation;
  for (const auto& id : t.async_changed_ids) {
    if (std::find(updated.begin(), updated.end(), id) == updated.end()) updated.push_back(id);
  }
  request.input.updated_operation_ids = std::move(updated);

  // A delayed invocation's timer (or a watchdog row a previous version left) goes with it.
  if (scratch.execution.invoke_at) t.ClearTimer(InvokeKey(arn));
  scratch.execution.invoke_at = now;  // wanted / in flight: a restart retries it
  // The watchdog lives in memory, not in the store: it matters only while this process runs
  // (after a restart invoke_at has the invocation retried), and without its timer row (and that
  // row's due-time index entry) the commit that starts an invocation, on the path of every
  // resume, and the one that ends it write two pages fewer. Armed before the commit: if that
  // fails, the watchdog names an invocation that never started and fires as a no-op.
  inf.watchdog_due = now + timeout_ms + options_.limits.invocation_watchdog_margin_ms;
  ArmWatchdog(arn, inf.invocation_id, inf.watchdog_due);
  fx.invocation_id = inf.invocation_id;
  fx.invoke = std::move(request);
  fx.pending_inflight = std::move(inf);
}

void EngineImpl::ApplyClosedChildren(Live& live, ExecutionState& scratch, TimestampMs now,
                                     Transition& t) {
  std::vector<model::DurableExecution> children = std::move(live.closed_children);
  live.closed_children.clear();
  for (const auto& child : children) {
    auto* op = child.parent_operation_id ? scratch.Find(*child.parent_operation_id) : nullptr;
    if (op && op->operation.type == model::OperationType::kChainedInvoke &&
        op->meta.invoke_child_arn == child.arn) {
      CompleteChainedInvoke(scratch, *op, child, now, t);
    }
  }
}

model::StateResponse EngineImpl::Page(Inflight& inf, int64_t snapshot, size_t from,
                                      size_t max_items) const {
  model::StateResponse out;
  const auto& ops = inf.snapshots[snapshot];
  size_t bytes = 0, i = from;
  for (; i < ops.size() && out.operations.size() < max_items; ++i) {
    size_t size = ApproxSize(ops[i]);
    if (!out.operations.empty() && bytes + size > options_.limits.envelope_page_bytes) break;
    bytes += size;
    out.operations.push_back(ops[i]);
  }
  if (i < ops.size()) {
    out.next_marker = MakeMarker(inf.invocation_id + "/" + std::to_string(snapshot), i);
  }
  return out;
}

int64_t EngineImpl::RetryDelayMs(int32_t failures) const {
  if (failures <= 1) return 0;  // the first retry is prompt
  int64_t delay = options_.limits.invocation_retry_base_ms;
  for (int32_t i = 2; i < failures && delay < options_.limits.invocation_retry_max_ms; ++i) {
    delay *= 2;
  }
  return std::min(delay, options_.limits.invocation_retry_max_ms);
}

std::optional<model::ErrorObject> EngineImpl::CheckOutput(const ExecutionState& s,
                                                          const InvocationResult& r,
                                                          bool unseen_changes) const {
  if (r.function_error) return *r.function_error;
  if (!r.output) return MakeError("Runtime.InvalidResponse", "The invocation returned no output.");
  const model::InvocationOutput& out = *r.output;
  switch (out.status) {
    case model::InvocationStatus::kFailed:
      if (out.result) {
        return MakeError("InvalidInvocationOutput", "Cannot return FAILED status with a Result.");
      }
      break;
    case model::InvocationStatus::kSucceeded:
      if (out.error) {
        return MakeError("InvalidInvocationOutput",
                         "Cannot return SUCCEEDED status with an Error.");
      }
      break;
    case model::InvocationStatus::kPending:
      if (!s.Closing() && !unseen_changes && !HasPendingOperations(s)) {
        return MakeError("InvalidInvocationOutput",
                         "Cannot return PENDING status with no pending operations.");
      }
      break;
  }
  return std::nullopt;
}

void EngineImpl::OnInvocationDone(const std::string& arn, const std::string& invocation_id,
                                  InvocationResult result) {
  Effects fx;
  {
    auto live_or = LockLive(arn);
    if (!live_or.ok()) return;
    LockedLive live = std::move(live_or).value();
    if (!live->inflight || live->inflight->invocation_id != invocation_id) return;  // stale
    Inflight inf = std::move(*live->inflight);
    live->inflight.reset();
    DisarmWatchdog(arn, inf.invocation_id, inf.watchdog_due);
    // Closed meanwhile (stop, timeout): nothing is appended after the terminal event.
    if (!live->state.Running()) return;
    ExecutionState& scratch = live->state;
    ChangeGuard guard(scratch);
    Transition t;
    bool suspended = false;
    TimestampMs now = clock_->NowMs();
    std::optional<model::ErrorObject> error =
        CheckOutput(scratch, result, !inf.undelivered.empty());
    AppendInvocationCompleted(scratch, inf.started_at, now, inf.request_id, error, now, t);
    const model::InvocationOutput* out = result.output ? &*result.output : nullptr;
    if (scratch.Closing()) {
      FinishClosing(scratch, out ? out->result : std::nullopt, now, t);
    } else if (error) {
      int32_t failures = ++scratch.execution.failed_invocations;
      if (failures >= options_.limits.max_invocation_failures) {
        CloseExecution(scratch, model::ExecutionStatus::kFailed, std::nullopt, error, now, t);
      } else {
        ApplyClosedChildren(*live, scratch, now, t);
        ScheduleInvocation(*live, scratch, t, RetryDelayMs(failures), fx);
      }
    } else {
      scratch.execution.failed_invocations = 0;
      if (out->status == model::InvocationStatus::kSucceeded) {
        CloseExecution(scratch, model::ExecutionStatus::kSucceeded, out->result, std::nullopt, now,
                       t);
      } else if (out->status == model::InvocationStatus::kFailed) {
        model::ErrorObject e = out->error ? *out->error : MakeError("ExecutionFailed", "Failed");
        CloseExecution(scratch, model::ExecutionStatus::kFailed, std::nullopt, e, now, t);
      } else {
        ApplyClosedChildren(*live, scratch, now, t);
        FireDueOperations(scratch, now, t);
        if (!inf.undelivered.empty() || t.request_invocation || HasReadyStep(scratch)) {
          ScheduleInvocation(*live, scratch, t, 0, fx);
        } else {
          scratch.execution.invoke_at.reset();
          t.ClearTimer(InvokeKey(arn));
          suspended = true;
        }
      }
    }
    Status st = CommitLocked(*live, scratch, t, fx);
    if (st.ok()) {
      guard.Commit();
      // Suspended: nothing of it needs to stay in memory until a timer or an API call wakes it;
      // the most recent few stay anyway (their resume then skips reading them back).
      if (suspended) KeepSuspendedLocked(live.live);
    } else {
      log::Error("recording the end of invocation {}: {}", inf.request_id, st.ToString());
    }
  }
  RunEffects(std::move(fx));
}

void EngineImpl::OnInvokeTimer(const std::string& arn) {
  Status st = Mutate(arn, [&](Live& live, ExecutionState& s, Transition& t) {
    if (!s.Open() || live.inflight) {
      // In flight: a watchdog row written by a previous version; the invocation has its
      // watchdog in memory.
      t.ClearTimer(InvokeKey(arn));
      return Status::Ok();
    }
    t.request_invocation = true;
    return Status::Ok();
  });
  if (!st.ok()) log::Warn("invoke timer of {}: {}", arn, st.ToString());
}

void EngineImpl::ArmWatchdog(const std::string& arn, const std::string& invocation_id,
                             TimestampMs due) {
  {
    std::lock_guard<std::mutex> lock(watchdog_mu_);
    watchdogs_.emplace(due, arn, invocation_id);
  }
  // The timer loop never sleeps longer than kMaxTimerSleepMs and looks at the watchdogs each
  // time it wakes, so only an earlier one needs to wake it (the function timeout plus the
  // margin is usually longer: starting an invocation does not wake the loop). It wakes
  // kWakeAheadMs before what it is told; a watchdog is fired at its due time.
  if (due - clock_->NowMs() < kMaxTimerSleepMs) WakeTimers(due + kWakeAheadMs);
}

void EngineImpl::DisarmWatchdog(const std::string& arn, const std::string& invocation_id,
                                TimestampMs due) {
  std::lock_guard<std::mutex> lock(watchdog_mu_);
  watchdogs_.erase({due, arn, invocation_id});
}

TimestampMs EngineImpl::FireDueWatchdogs() {
  std::vector<std::pair<std::string, std::string>> due;  // (arn, invocation id)
  TimestampMs next = INT64_MAX;
  {
    std::lock_guard<std::mutex> lock(watchdog_mu_);
    const TimestampMs now = clock_->NowMs();
    while (!watchdogs_.empty() && std::get<0>(*watchdogs_.begin()) <= now) {
      auto node = watchdogs_.extract(watchdogs_.begin());
      due.emplace_back(std::move(std::get<1>(node.value())), std::move(std::get<2>(node.value())));
    }
    if (!watchdogs_.empty()) next = std::get<0>(*watchdogs_.begin());
  }
  for (auto& [arn, invocation_id] : due) {
    {
      // An invocation in flight keeps its execution in memory; one that is not cached has none
      // (purged, or the watchdog of a start whose commit failed): nothing to load.
      std::lock_guard<std::mutex> lock(live_mu_);
      if (live_.find(arn) == live_.end()) continue;
    }
    // The invoker never reported this invocation back (a stale id is ignored).
    InvocationResult lost;
    lost.function_error = MakeError("Sandbox.Timedout", "The invocation did not complete in time.");
    OnInvocationDone(arn, invocation_id, std::move(lost));
  }
  return next;
}

Status EngineImpl::CheckToken(const Live& live, const std::string& token, bool for_read) const {
  std::optional<TokenParts> parts = ParseCheckpointToken(token);
  if (!parts) return InvalidToken("Invalid Checkpoint Token: the token is malformed.");
  if (parts->execution_id != live.state.execution.execution_id) {
    return InvalidToken(
        "Invalid Checkpoint Token: the token belongs to another durable execution.");
  }
  if (!live.state.Open()) {
    return InvalidToken("Invalid Checkpoint Token: the durable execution is not running.");
  }
  if (!live.inflight || live.inflight->invocation_id != parts->invocation_id) {
    return InvalidToken("Invalid Checkpoint Token: the token belongs to an earlier invocation.");
  }
  bool ok = for_read ? parts->sequence >= 1 && parts->sequence <= live.inflight->sequence
                     : parts->sequence == live.inflight->sequence;
  if (!ok) return InvalidToken("Invalid Checkpoint Token: the token has already been used.");
  return Status::Ok();
}

}  // namespace durable::engine
