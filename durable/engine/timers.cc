// The timer loop: sleeps until the earliest due timer (woken early when an earlier one is armed),
// claims due timers from the store with a lease, and applies each through the pure core. A
// fired timer is cleared (or re-armed) in the same commit that applies its effect. Claimed timers
// are fired by a fixed pool of fire workers, so the loop keeps claiming while earlier ones commit.
#include <algorithm>
#include <climits>
#include <thread>
#include <unordered_map>
#include <vector>

#include "durable/base/log.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"

namespace durable::engine {

void EngineImpl::WakeTimers(TimestampMs due) {
  bool notify;
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    timer_armed_min_ = std::min(timer_armed_min_, due);
    notify = due < timer_sleep_until_;
    if (notify) timer_wake_ = true;
  }
  if (notify) timer_cv_.notify_all();
}

void EngineImpl::TimerLoop() {
  std::unique_lock<std::mutex> lock(timer_mu_);
  while (!stopping_) {
    timer_wake_ = false;
    timer_sleep_until_ = INT64_MIN;  // running: timers armed meanwhile land in timer_armed_min_
    lock.unlock();
    RunDueTimers(/*parallel=*/true);
    auto next = store_->NextDueAt();
    lock.lock();
    if (stopping_) break;
    TimestampMs now = clock_->NowMs();
    TimestampMs target = !next.ok() ? now + 1000  // storage hiccup: retry later
                                    : next->value_or(INT64_MAX);
    target = std::min(target, timer_armed_min_);
    timer_armed_min_ = INT64_MAX;
    if (target <= now) continue;
    timer_sleep_until_ = target;
    auto woken = [this] { return stopping_ || timer_wake_; };
    if (target == INT64_MAX) {
      timer_cv_.wait(lock, woken);
    } else {
      timer_cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(target - now, 60'000)),
                         woken);
    }
  }
}

void EngineImpl::RunDueTimersForTest() { RunDueTimers(/*parallel=*/false); }

void EngineImpl::RunDueTimers(bool parallel) {
  constexpr size_t kWorkers = 16;
  // Claimed but not yet fired groups beyond which claiming pauses (leases must not run out
  // while timers wait in the queue).
  constexpr size_t kMaxQueued = 1024;
  if (parallel && fire_workers_.empty()) {
    for (size_t w = 0; w < kWorkers; ++w) fire_workers_.emplace_back([this] { FireWorker(); });
  }
  for (int round = 0; round < 1000; ++round) {
    if (parallel) {
      std::unique_lock<std::mutex> lock(fire_mu_);
      fire_space_cv_.wait(lock, [&] { return fire_queue_.size() < kMaxQueued; });
    }
    auto claimed = store_->ClaimDueTimers(clock_->NowMs(), options_.node_id,
                                          options_.limits.timer_lease_ms, parallel ? 256 : 64);
    if (!claimed.ok()) {
      log::Warn("claiming timers: {}", claimed.status().ToString());
      return;
    }
    if (claimed->empty()) return;
    if (!parallel) {
      for (const auto& c : *claimed) FireTimer(c.timer);
      continue;
    }
    // The timers of one execution stay together and in due order, on one worker. The loop does
    // not wait for them: it claims again (what fell due meanwhile) or goes back to sleep, while
    // the workers' commits overlap.
    std::vector<std::vector<store::Timer>> groups;
    std::unordered_map<std::string, size_t> group_of;
    for (auto& c : *claimed) {
      auto [it, added] = group_of.emplace(c.timer.key.arn, groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(std::move(c.timer));
    }
    {
      std::lock_guard<std::mutex> lock(fire_mu_);
      for (auto& g : groups) fire_queue_.push_back(std::move(g));
    }
    if (groups.size() == 1) {
      fire_cv_.notify_one();
    } else {
      fire_cv_.notify_all();
    }
  }
}

void EngineImpl::FireWorker() {
  std::unique_lock<std::mutex> lock(fire_mu_);
  while (true) {
    fire_cv_.wait(lock, [this] { return fire_stopping_ || !fire_queue_.empty(); });
    if (fire_queue_.empty()) return;  // stopping, and nothing left
    std::vector<store::Timer> group = std::move(fire_queue_.front());
    fire_queue_.pop_front();
    lock.unlock();
    fire_space_cv_.notify_one();
    for (const store::Timer& timer : group) FireTimer(timer);
    lock.lock();
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
          ++live_generation_;
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
