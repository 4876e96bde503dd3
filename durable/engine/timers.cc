// The timer loop: sleeps until the earliest due timer (woken early when an earlier one is armed),
// claims due timers from the store with a lease, and applies each through the pure core. A
// fired timer is cleared (or re-armed) in the same commit that applies its effect.
#include <algorithm>

#include "durable/base/log.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"

namespace durable::engine {

void EngineImpl::WakeTimers() {
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    timer_wake_ = true;
  }
  timer_cv_.notify_all();
}

void EngineImpl::TimerLoop() {
  std::unique_lock<std::mutex> lock(timer_mu_);
  while (!stopping_) {
    timer_wake_ = false;
    lock.unlock();
    RunDueTimersForTest();
    auto next = store_->NextDueAt();
    lock.lock();
    if (stopping_) break;
    if (timer_wake_) continue;
    auto woken = [this] { return stopping_ || timer_wake_; };
    if (!next.ok()) {
      timer_cv_.wait_for(lock, std::chrono::seconds(1), woken);  // storage hiccup: retry later
    } else if (!next->has_value()) {
      timer_cv_.wait(lock, woken);
    } else {
      int64_t delay = **next - clock_->NowMs();
      if (delay > 0) {
        timer_cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(delay, 60'000)),
                           woken);
      }
    }
  }
}

void EngineImpl::RunDueTimersForTest() {
  for (int round = 0; round < 1000; ++round) {
    auto claimed = store_->ClaimDueTimers(clock_->NowMs(), options_.node_id,
                                          options_.limits.timer_lease_ms, 64);
    if (!claimed.ok()) {
      log::Warn("claiming timers: {}", claimed.status().ToString());
      return;
    }
    if (claimed->empty()) return;
    for (const auto& c : *claimed) FireTimer(c.timer);
  }
}

void EngineImpl::FireTimer(const store::Timer& timer) {
  const store::TimerKey& key = timer.key;
  Status st;
  switch (key.kind) {
    case store::TimerKind::kRetention: {
      std::shared_ptr<Live> live;
      {
        std::lock_guard<std::mutex> lock(live_mu_);
        auto it = live_.find(key.arn);
        if (it != live_.end()) {
          live = it->second;
          live_.erase(it);
        }
      }
      if (live) {
        std::lock_guard<std::mutex> lock(live->mu);
        live->purged = true;
        live->closed_cv.notify_all();
      }
      st = store_->Purge(key.arn);
      break;
    }
    case store::TimerKind::kInvoke:
      OnInvokeTimer(key.arn);
      break;
    case store::TimerKind::kExecutionTimeout:
      st = Mutate(key.arn, [&](Live&, ExecutionState& s, Transition& t) {
        TimestampMs now = clock_->NowMs();
        if (!s.Running()) {
          t.ClearTimer(key);
        } else if (ExecutionTimeoutDue(s, now)) {
          int64_t seconds = s.execution.config.execution_timeout_seconds;
          CloseExecution(s, model::ExecutionStatus::kTimedOut, std::nullopt,
                         MakeError("Execution.TimedOut", "Execution timed out after " +
                                                             std::to_string(seconds) + " seconds."),
                         now, t);
        } else {
          t.SetTimer({key, s.execution.start_timestamp +
                               s.execution.config.execution_timeout_seconds * 1000});
        }
        return Status::Ok();
      });
      break;
    default:
      st = Mutate(key.arn, [&](Live&, ExecutionState& s, Transition& t) {
        FireDueOperations(s, clock_->NowMs(), t);
        if (auto due = DueOf(s, key)) {
          t.SetTimer({key, *due});  // fired early (e.g. clock skew): re-arm, never lose it
        } else {
          t.ClearTimer(key);
        }
        return Status::Ok();
      });
      break;
  }
  if (!st.ok() && st.code() != StatusCode::kNotFound) {
    log::Warn("timer {} of {}: {}", static_cast<int>(key.kind), key.arn, st.ToString());
  }
}

}  // namespace durable::engine
