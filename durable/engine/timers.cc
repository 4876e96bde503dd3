// The timer loop: sleeps until shortly before the earliest due timer (woken early when an earlier
// one is armed), claims the timers due in the next kClaimAheadMs from the store with a lease, and
// hands them to a fixed pool of fire workers, which apply each through the pure core at its due
// time. A fired timer is cleared (or re-armed) in the same commit that applies its effect.
#include <algorithm>
#include <chrono>
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
    // timer_sleep_until_ is INT64_MIN while the loop runs (it then reads timer_armed_min_).
    notify = timer_sleep_until_ != INT64_MIN && due - kWakeAheadMs < timer_sleep_until_;
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
    const TimestampMs next_watchdog = FireDueWatchdogs();
    auto next = store_->NextDueAt();
    lock.lock();
    if (stopping_) break;
    TimestampMs now = clock_->NowMs();
    TimestampMs target = !next.ok() ? now + 1000 + kWakeAheadMs  // storage hiccup: retry later
                                    : next->value_or(INT64_MAX);
    target = std::min(target, timer_armed_min_);
    timer_armed_min_ = INT64_MAX;
    // Claims reach kClaimAheadMs ahead and NextDueAt counts a leased timer from its lease's end,
    // so whatever `target` is, a claim now would take it: no spinning on an unclaimable timer.
    TimestampMs wake_at = target == INT64_MAX ? INT64_MAX : target - kWakeAheadMs;
    wake_at = std::min(wake_at, next_watchdog);  // not claimed ahead: fired at its due time
    if (wake_at <= now) continue;
    timer_sleep_until_ = wake_at;
    auto woken = [this] { return stopping_ || timer_wake_; };
    timer_cv_.wait_for(
        lock, std::chrono::milliseconds(std::min<int64_t>(wake_at - now, kMaxTimerSleepMs)),
        woken);
  }
}

void EngineImpl::RunDueTimersForTest() {
  RunDueTimers(/*parallel=*/false);
  FireDueWatchdogs();
}

void EngineImpl::RunDueTimers(bool parallel) {
  // Fire workers spend their time waiting for their commit (an fsync, shared by a group): when
  // one group commit is slow, the timers falling due meanwhile need free workers to start their
  // commits, which then share the next group. 16 were all stuck behind one slow fsync at times.
  constexpr size_t kWorkers = 48;
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
    // Claiming ahead: the store takes `now` as the claim's time, so a lease that ends within the
    // window counts as ended that much early (kClaimAheadMs against leases of seconds).
    TimestampMs claim_at = clock_->NowMs() + (parallel ? kClaimAheadMs : 0);
    const int32_t limit = parallel ? 256 : 64;
    auto claimed = store_->ClaimDueTimers(claim_at, options_.node_id,
                                          options_.limits.timer_lease_ms, limit);
    if (!claimed.ok()) {
      log::Warn("claiming timers: {}", claimed.status().ToString());
      return;
    }
    if (claimed->empty()) return;
    // Everything claimable up to claim_at was taken. Claiming again at once would only pick up
    // the few timers that entered the window during this claim (one store write for a handful);
    // the loop comes back kWakeAheadMs before the next one instead.
    const bool more = static_cast<int32_t>(claimed->size()) >= limit;
    if (!parallel) {
      for (const auto& c : *claimed) FireTimer(c.timer);
      continue;
    }
    QueueClaimed(std::move(claimed).value());
    if (!more) return;
  }
}

void EngineImpl::QueueClaimed(std::vector<store::ClaimedTimer> claimed) {
  // The timers of one execution stay together and in due order, on one worker. The loop does
  // not wait for them: it claims again or goes back to sleep, while the workers fire them when
  // due and their commits overlap.
  std::vector<std::vector<store::Timer>> groups;
  std::unordered_map<std::string, size_t> group_of;
  for (auto& c : claimed) {
    auto [it, added] = group_of.emplace(c.timer.key.arn, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(std::move(c.timer));
  }
  std::lock_guard<std::mutex> lock(fire_mu_);
  for (auto& g : groups) {
    // An operation timer ends in an invocation, which needs the execution in memory (it was
    // evicted when it suspended): load it while the timer is not yet due. The others (retention,
    // execution timeout, invocation watchdog) usually do not, so they are loaded when fired.
    const store::TimerKind kind = g.front().key.kind;
    if (kind == store::TimerKind::kWaitEnd || kind == store::TimerKind::kStepRetry ||
        kind == store::TimerKind::kCallbackTimeout ||
        kind == store::TimerKind::kCallbackHeartbeat) {
      fire_prefetch_.emplace(g.front().due_at, g.front().key.arn);
    }
    QueueFireGroupLocked(std::move(g));
  }
}

void EngineImpl::QueueFireGroupLocked(std::vector<store::Timer> group) {
  const TimestampMs due = group.front().due_at;
  const bool earliest = fire_queue_.empty() || due < fire_queue_.begin()->first;
  fire_queue_.emplace(due, std::move(group));
  // Waking one thread is enough: whoever takes a group wakes another for the rest of the queue.
  if (fire_leader_) {
    if (earliest) fire_lead_cv_.notify_one();  // it sleeps until a later due time
  } else {
    fire_cv_.notify_one();
  }
}

void EngineImpl::FireWorker() {
  std::unique_lock<std::mutex> lock(fire_mu_);
  while (true) {
    if (fire_queue_.empty()) {
      fire_prefetch_.clear();  // all fired
      if (fire_stopping_) return;
      fire_cv_.wait(lock);
      continue;
    }
    auto head = fire_queue_.begin();
    const TimestampMs now = clock_->NowMs();
    // Due already: its fire loads it (or has).
    while (!fire_prefetch_.empty() && fire_prefetch_.begin()->first <= now) {
      fire_prefetch_.erase(fire_prefetch_.begin());
    }
    // The time the next prefetch may start, if a worker is free for it.
    TimestampMs prefetch_at = INT64_MAX;
    if (!fire_prefetch_.empty() && fire_prefetching_ < kMaxPrefetching && !fire_stopping_) {
      prefetch_at = fire_prefetch_.begin()->first - kPrefetchAheadMs;
    }
    if (head->first > now && prefetch_at <= now) {
      std::string arn = std::move(fire_prefetch_.begin()->second);
      fire_prefetch_.erase(fire_prefetch_.begin());
      ++fire_prefetching_;
      if (!fire_leader_) fire_cv_.notify_one();  // someone must watch the due times meanwhile
      lock.unlock();
      (void)GetLive(arn);  // cached if RUNNING; a failure shows again when the timer fires
      lock.lock();
      --fire_prefetching_;
      continue;
    }
    if (head->first > now) {
      if (fire_stopping_ && std::chrono::steady_clock::now() >= fire_stop_deadline_) {
        // Claimed ahead and still not due: left to their leases (claimable again when they end).
        fire_queue_.clear();
        fire_cv_.notify_all();
        fire_space_cv_.notify_all();
        return;
      }
      if (fire_leader_) {
        fire_cv_.wait(lock);  // one thread waits for the due time at a time
        continue;
      }
      fire_leader_ = true;
      auto wait = std::chrono::milliseconds(std::min(head->first, prefetch_at) - now);
      if (fire_stopping_) wait = std::min(wait, kFireStopGrace);
      fire_lead_cv_.wait_for(lock, wait);
      fire_leader_ = false;
      continue;
    }
    std::vector<store::Timer> group = std::move(head->second);
    fire_queue_.erase(head);
    // Someone else takes the next group (or waits for its due time) while this one fires; when
    // stopping, everyone re-checks (the idle ones return once the queue is empty).
    if (fire_stopping_) {
      fire_cv_.notify_all();
    } else if (!fire_queue_.empty()) {
      fire_cv_.notify_one();
    }
    lock.unlock();
    fire_space_cv_.notify_one();
    size_t fired = 0;
    while (fired < group.size() && group[fired].due_at <= clock_->NowMs()) {
      FireTimer(group[fired]);
      ++fired;
    }
    lock.lock();
    if (fired < group.size()) {
      // A later timer of the same execution, claimed in the same window: queued for its time.
      group.erase(group.begin(), group.begin() + static_cast<ptrdiff_t>(fired));
      QueueFireGroupLocked(std::move(group));
    }
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
        t.invoke_before_commit = FireDueOperations(s, clock_->NowMs(), t);
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
