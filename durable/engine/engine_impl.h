// EngineImpl: the shell around the pure core. Per execution it keeps the loaded state and the
// in-flight invocation behind one mutex (`Live`); every change runs the core on a copy of the
// state, commits the Transition to the Store (one Commit per change), swaps the copy in and then,
// with no lock held, carries out the effects (invoke, start chained children, notify parents and
// waiters, wake the timer loop). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "durable/engine/engine.h"
#include "durable/engine/state.h"

namespace durable::engine {

// The invocation in flight for one execution (protocol.md §12.3, §12.7).
struct Inflight {
  std::string invocation_id;
  std::string request_id;
  int64_t sequence = 1;  // sequence of the latest checkpoint token issued to it
  // That token as issued by a checkpoint response (empty until the first one): a checkpoint
  // carrying exactly these bytes is valid without parsing it (EngineImpl::Checkpoint).
  std::string token;
  TimestampMs started_at = 0;
  TimestampMs watchdog_due = 0;  // when it is declared lost if not reported back (in memory)
  // State snapshots that paging markers of this invocation refer to (1 = the envelope's).
  std::map<int64_t, std::vector<model::Operation>> snapshots;
  int64_t next_snapshot = 1;
  // Ops the engine changed since the last response delivered to this invocation.
  std::vector<std::string> undelivered;
};

struct Live {
  std::mutex mu;
  std::condition_variable closed_cv;
  ExecutionState state;
  std::optional<Inflight> inflight;
  std::vector<std::string> updated_since_invocation;  // UpdatedOperationIds of the next one
  // Chained children that closed while this execution had an invocation in flight: applied right
  // after that invocation's InvocationCompleted, as on AWS, where a child never finishes before
  // its caller suspends (conformance invoke/5-16). A restart re-derives them (Recover).
  std::vector<model::DurableExecution> closed_children;
  bool purged = false;
  // Dropped from the cache while suspended (the store has all of it); a thread that locked this
  // object must fetch the execution again (EngineImpl::LockLive).
  bool evicted = false;
};

// A Live with its mutex held. The lock is released before the reference is dropped (members are
// destroyed in reverse order), so an evicted Live is never unlocked after being freed.
struct LockedLive {
  std::shared_ptr<Live> live;
  std::unique_lock<std::mutex> lock;
  Live* operator->() const { return live.get(); }
  Live& operator*() const { return *live; }
};

// Work to do after a commit, outside every lock.
struct Effects {
  std::string arn;
  std::optional<InvocationRequest> invoke;
  std::string invocation_id;                   // of `invoke`
  std::optional<InvocationResult> early_done;  // see Dispatch
  std::optional<Inflight> pending_inflight;    // becomes live.inflight when the commit succeeds
  std::vector<ChainedStart> chained_starts;
  std::vector<std::string> children_to_stop;
  std::optional<model::DurableExecution> closed;  // notify awaiters and a chained parent
  bool wake_timers = false;
  TimestampMs earliest_timer = INT64_MAX;  // earliest due_at this change armed
};

class EngineImpl final : public Engine {
 public:
  EngineImpl(store::Store* store, Invoker* invoker, const Clock* clock, EngineOptions options);
  ~EngineImpl() override;

  void RegisterFunction(FunctionConfig config) override;
  Status Start() override;
  void Shutdown() override;
  Result<model::StartResponse> StartExecution(const model::StartRequest& request) override;
  Result<model::DurableExecution> AwaitClosed(const std::string& arn,
                                              std::chrono::milliseconds timeout) override;
  Result<model::CheckpointResponse> Checkpoint(const std::string& arn,
                                               const model::CheckpointRequest& request) override;
  // The remembered answer to `request` (a retry of a checkpoint whose token was used), or
  // `otherwise` if there is none.
  Result<model::CheckpointResponse> RememberedAnswer(const std::string& arn,
                                                     const model::CheckpointRequest& request,
                                                     const std::string& hash, Status otherwise);
  Result<model::StateResponse> GetState(const std::string& arn,
                                        const model::StateRequest& request) override;
  Result<model::DurableExecution> GetExecution(const std::string& arn) override;
  Result<model::HistoryResponse> GetHistory(const std::string& arn,
                                            const model::HistoryRequest& request) override;
  Result<model::ListResponse> ListExecutions(const model::ListRequest& request) override;
  Result<TimestampMs> Stop(const std::string& arn,
                           const std::optional<model::ErrorObject>& error) override;
  Status CallbackSucceed(const std::string& callback_id, const std::string& result) override;
  Status CallbackFail(const std::string& callback_id, const model::ErrorObject& error) override;
  Status CallbackHeartbeat(const std::string& callback_id) override;
  void RunDueTimersForTest() override;

  // Executions currently held in memory (RUNNING ones with work in progress, not yet suspended,
  // or among the most recently suspended); for tests and metrics.
  size_t LoadedExecutions();
  bool Loaded(const std::string& arn);  // in the cache

 private:
  // engine_impl.cc
  CoreContext MakeContext() const;
  Result<ResolvedFunction> Resolve(const std::string& function_name,
                                   const std::optional<std::string>& qualifier) const;
  std::optional<FunctionConfig> FindFunction(const std::string& name) const;
  // The execution's Live: the cached one, or loaded from the store. `cache`: keep a loaded
  // RUNNING execution in memory (false for reads, so reading a suspended, evicted execution does
  // not bring it back into memory for good).
  Result<std::shared_ptr<Live>> GetLive(const std::string& arn, bool cache = true);
  // GetLive + lock its mutex, retrying if the object was evicted meanwhile.
  Result<LockedLive> LockLive(const std::string& arn);
  // Drops a suspended execution from memory: nothing in flight and nothing held only in memory.
  // REQUIRES: live.mu held.
  void MaybeEvictLocked(Live& live);
  // An invocation of `live` ended suspended: keep it among the options_.keep_suspended most
  // recent ones and evict the oldest beyond them (if it is still suspended and not busy).
  // REQUIRES: live->mu held.
  void KeepSuspendedLocked(const std::shared_ptr<Live>& live);
  // Commits `t` (built on `scratch`) and, on success, makes `scratch` the live state (unless it
  // already is: changes made in place under the undo journal) and collects the effects. On
  // failure the caller rolls the journal back. REQUIRES: live.mu held.
  Status CommitLocked(Live& live, ExecutionState& scratch, Transition& t, Effects& fx,
                      std::optional<store::CheckpointReplay> replay = std::nullopt);
  void RunEffects(Effects fx);
  // Hands fx.invoke (if any) to the invoker. `before_commit`: called by Mutate with the
  // execution's lock held, before the commit of a transition with invoke_before_commit; an end
  // of the invocation reported while the invoker's Invoke still runs (it may report a refusal at
  // once, e.g. when stopping) is then kept in fx.early_done for RunEffects, since delivering it
  // needs that lock.
  void Dispatch(const std::string& arn, Effects& fx, bool before_commit);
  Result<model::StartResponse> StartInternal(const model::StartRequest& request,
                                             std::optional<std::string> execution_id);
  // Idempotency of named executions (protocol.md §12.2).
  Result<std::optional<model::StartResponse>> FindExisting(
      const std::string& function, const std::string& name,
      const std::optional<std::string>& payload);
  void Recover(const std::string& arn);
  void NotifyParent(const model::DurableExecution& child);
  // Runs `fn(state, t)` on the execution's state under its undo journal and commits the result
  // (rolled back on error or when nothing changed).
  template <typename Fn>
  Status Mutate(const std::string& arn, Fn&& fn);
  // Mutate on the execution and operation a callback id names: `fn(state, op, t)`.
  template <typename Fn>
  Status ChangeCallback(const std::string& callback_id, Fn&& fn);

  // invocation.cc
  // Decides what an invocation request in `t` means: start now (prepares the in-flight record
  // and the envelope), later (kInvoke timer), or nothing. REQUIRES: live.mu held.
  void ScheduleInvocation(Live& live, ExecutionState& scratch, Transition& t, int64_t delay_ms,
                          Effects& fx);
  void OnInvocationDone(const std::string& arn, const std::string& invocation_id,
                        InvocationResult result);
  void OnInvokeTimer(const std::string& arn);
  // Invocation watchdogs, kept in memory (see ScheduleInvocation). FireDueWatchdogs declares the
  // due ones lost (Sandbox.Timedout) and returns the earliest due left (INT64_MAX: none).
  void ArmWatchdog(const std::string& arn, const std::string& invocation_id, TimestampMs due);
  void DisarmWatchdog(const std::string& arn, const std::string& invocation_id, TimestampMs due);
  TimestampMs FireDueWatchdogs();
  // Completes chained invokes whose child closed during the invocation that just ended.
  void ApplyClosedChildren(Live& live, ExecutionState& scratch, TimestampMs now, Transition& t);
  // The function error of an invocation, or of an invalid output (protocol.md §3.2).
  // `unseen_changes`: the invocation ended before it saw a change (PENDING is then legitimate).
  std::optional<model::ErrorObject> CheckOutput(const ExecutionState& s, const InvocationResult& r,
                                                bool unseen_changes) const;
  int64_t RetryDelayMs(int32_t failures) const;
  Status CheckToken(const Live& live, const std::string& token, bool for_read) const;
  model::StateResponse Page(Inflight& inflight, int64_t snapshot, size_t from,
                            size_t max_items) const;

  // timers.cc
  // The timer loop claims the timers due up to kClaimAheadMs ahead of the clock and wakes
  // kWakeAheadMs before the earliest unclaimed one, so one claim (a store write transaction)
  // covers the timers of the next ~75 ms instead of those of one moment, and it is done before
  // they fall due, off their path: the fire workers hold them and fire each at its due time.
  static constexpr int64_t kClaimAheadMs = 100;
  static constexpr int64_t kWakeAheadMs = 25;
  static constexpr int64_t kMaxTimerSleepMs = 60'000;  // the loop wakes at least this often
  static constexpr std::chrono::milliseconds kFireStopGrace{kClaimAheadMs + 50};
  void TimerLoop();
  void FireTimer(const store::Timer& timer);
  // Tells the timer loop a timer due at `due` was armed; it is woken only if it would otherwise
  // claim that timer too late (see kWakeAheadMs in timers.cc).
  void WakeTimers(TimestampMs due);
  // Claims and fires due timers until none is due. `parallel`: claims the timers due within the
  // claim-ahead window, hands the timers of different executions to the fire workers (FireWorker),
  // which fire each at its due time, and returns once all are claimed, without waiting for them;
  // otherwise claims only what is due now and fires it on this thread.
  void RunDueTimers(bool parallel);
  // Fires queued groups of claimed timers (one execution's timers, in due order), each when it
  // falls due, until stopping; meanwhile loads the executions in fire_prefetch_. Several run at
  // once, so their commits share group commits.
  void FireWorker();
  // Hands claimed timers to the fire workers, grouped by execution.
  void QueueClaimed(std::vector<store::ClaimedTimer> claimed);
  // Queues one group, keyed by its first timer's due time. REQUIRES: fire_mu_ held.
  void QueueFireGroupLocked(std::vector<store::Timer> group);

  store::Store* store_;
  Invoker* invoker_;
  const Clock* clock_;
  EngineOptions options_;

  mutable std::mutex registry_mu_;
  std::map<std::string, FunctionConfig> functions_;

  std::mutex live_mu_;
  std::unordered_map<std::string, std::shared_ptr<Live>> live_;
  uint64_t live_generation_ = 0;  // bumped whenever an entry leaves live_ (see GetLive)
  std::deque<std::shared_ptr<Live>> suspended_;  // guarded by live_mu_; most recent last

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool timer_wake_ = false;
  TimestampMs timer_sleep_until_ = INT64_MIN;  // the loop sleeps until then (MIN: it runs)
  TimestampMs timer_armed_min_ = INT64_MAX;    // earliest due armed since the loop last looked
  bool stopping_ = false;
  std::thread timer_thread_;

  std::mutex watchdog_mu_;
  std::set<std::tuple<TimestampMs, std::string, std::string>> watchdogs_;  // (due, arn, id)

  std::mutex fire_mu_;
  std::condition_variable fire_cv_;        // idle workers: work queued, or stopping
  std::condition_variable fire_lead_cv_;   // the leader: an earlier group was queued, or stopping
  std::condition_variable fire_space_cv_;  // the queue shrank
  // Claimed groups by the due time of their first timer (claimed up to kClaimAheadMs early).
  // One worker at a time (the leader) sleeps until the earliest is due; the others sleep until
  // there is work for them, so a due time wakes one thread, not all of them.
  std::multimap<TimestampMs, std::vector<store::Timer>> fire_queue_;
  bool fire_leader_ = false;
  // Executions of queued operation timers to load into the cache before they fall due, so a
  // fire does not wait for the store's connection to read the state: idle workers load each one
  // kPrefetchAheadMs before its timer, at most kMaxPrefetching at once. Loading them all as soon
  // as a claim arrived (a few hundred reads on the store's connection at once, every ~75 ms) held
  // up the commits and the invocations of the timers firing meanwhile by ~10 ms.
  static constexpr int64_t kPrefetchAheadMs = 20;
  static constexpr int kMaxPrefetching = 2;
  std::multimap<TimestampMs, std::string> fire_prefetch_;  // due -> arn
  int fire_prefetching_ = 0;
  bool fire_stopping_ = false;
  // Once stopping: groups not yet due are still fired if they fall due before this (real) time,
  // then left to their leases (a fake clock may never get there).
  std::chrono::steady_clock::time_point fire_stop_deadline_;
  std::vector<std::thread> fire_workers_;
};

}  // namespace durable::engine
