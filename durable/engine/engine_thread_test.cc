// The shell with real threads: the push-based timer loop and AwaitClosed. These use the system
// clock and a one-second wait, the shortest the protocol allows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

// A MemoryStore that records every timer claim and every load, with the (system) time of each;
// it can hold commits until released (a slow fsync), fail the next one, and make loads slow.
class RecordingStore final : public store::Store {
 public:
  struct Claim {
    TimestampMs at = 0;  // clock time of the call
    std::vector<store::Timer> timers;
  };
  explicit RecordingStore(std::chrono::milliseconds claim_delay = {},
                          std::chrono::milliseconds load_delay = {})
      : claim_delay_(claim_delay), load_delay_(load_delay) {}
  std::vector<Claim> Claims() {
    std::lock_guard<std::mutex> lock(mu_);
    return claims_;
  }
  std::vector<TimestampMs> Loads(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mu_);
    return loads_[arn];
  }
  int MaxConcurrentLoads() {
    std::lock_guard<std::mutex> lock(mu_);
    return max_loading_;
  }
  // From now on, Apply waits until Release (HoldCommits) or fails once (FailNextCommit).
  void HoldCommits() {
    std::lock_guard<std::mutex> lock(mu_);
    holding_ = true;
  }
  void FailNextCommit() {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    holding_ = false;
    cv_.notify_all();
  }
  // Waits up to 5 s until a commit is being held.
  bool AwaitHeldCommit() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [this] { return held_ > 0; });
  }

  Status Create(const store::Commit& first) override { return inner_.Create(first); }
  Status Apply(const store::Commit& commit) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (fail_next_) {
        fail_next_ = false;
        return Unavailable("disk I/O error");
      }
      ++held_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !holding_; });
      --held_;
    }
    return inner_.Apply(commit);
  }
  Result<store::ExecutionSnapshot> Load(const std::string& arn) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      loads_[arn].push_back(SystemClock::Get()->NowMs());
      max_loading_ = std::max(max_loading_, ++loading_);
    }
    if (load_delay_.count() > 0) std::this_thread::sleep_for(load_delay_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --loading_;
    }
    return inner_.Load(arn);
  }
  Result<std::optional<model::DurableExecution>> FindByName(const std::string& function_name,
                                                            const std::string& name) override {
    return inner_.FindByName(function_name, name);
  }
  Result<std::vector<model::Event>> Events(const std::string& arn, int64_t after_event_id,
                                           int32_t limit) override {
    return inner_.Events(arn, after_event_id, limit);
  }
  Result<model::ListResponse> List(const model::ListRequest& request) override {
    return inner_.List(request);
  }
  Result<std::optional<store::CheckpointReplay>> FindReplay(
      const std::string& arn, const std::string& client_token,
      const std::string& checkpoint_token) override {
    return inner_.FindReplay(arn, client_token, checkpoint_token);
  }
  Result<std::vector<std::string>> RunningExecutions() override {
    return inner_.RunningExecutions();
  }
  Result<std::vector<store::ClaimedTimer>> ClaimDueTimers(TimestampMs now, const std::string& owner,
                                                          int64_t lease_ms, int32_t limit) override {
    auto claimed = inner_.ClaimDueTimers(now, owner, lease_ms, limit);
    if (claim_delay_.count() > 0) std::this_thread::sleep_for(claim_delay_);  // a slow store
    if (claimed.ok() && !claimed->empty()) {
      Claim c{SystemClock::Get()->NowMs(), {}};
      for (const auto& t : *claimed) c.timers.push_back(t.timer);
      std::lock_guard<std::mutex> lock(mu_);
      claims_.push_back(std::move(c));
    }
    return claimed;
  }
  Result<std::optional<TimestampMs>> NextDueAt() override { return inner_.NextDueAt(); }
  Status Purge(const std::string& arn) override { return inner_.Purge(arn); }

 private:
  store::MemoryStore inner_;
  const std::chrono::milliseconds claim_delay_;
  const std::chrono::milliseconds load_delay_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Claim> claims_;  // only those that claimed something
  std::map<std::string, std::vector<TimestampMs>> loads_;
  int loading_ = 0;
  int max_loading_ = 0;
  bool holding_ = false;
  int held_ = 0;  // commits waiting in Apply
  bool fail_next_ = false;
};

// Forwards to a FakeInvoker until Refuse(); from then on ends every invocation at once, on the
// calling thread, with a function error (as the in-process invoker does when stopping).
class RefusingInvoker final : public Invoker {
 public:
  explicit RefusingInvoker(FakeInvoker* inner) : inner_(inner) {}
  void Refuse() { refusing_ = true; }
  bool Has(const std::string& name) const override { return inner_->Has(name); }
  void Invoke(InvocationRequest request, std::function<void(InvocationResult)> done) override {
    if (!refusing_) return inner_->Invoke(std::move(request), std::move(done));
    done({std::nullopt, Err("Sandbox.Shutdown", "stopping")});
  }

 private:
  FakeInvoker* inner_;
  std::atomic<bool> refusing_{false};
};

// Starts an execution of "fn", checkpoints `update` (a one-second wait unless given) from its first
// invocation and ends that invocation PENDING (the execution is suspended and evicted). Returns
// the arn.
std::string StartWaiting(Engine& engine, FakeInvoker& invoker,
                         model::OperationUpdate update = WaitStart("w1", 1)) {
  model::StartRequest req;
  req.function_name = "fn";
  auto started = engine.StartExecution(req);
  EXPECT_TRUE(started.ok());
  if (!started.ok()) return "";
  std::optional<FakeInvoker::Call> first = invoker.WaitPop(std::chrono::seconds(5));
  EXPECT_TRUE(first.has_value());
  if (!first) return "";
  model::CheckpointRequest cp;
  cp.checkpoint_token = first->request.input.checkpoint_token;
  cp.updates = {std::move(update)};
  EXPECT_TRUE(engine.Checkpoint(started->execution.arn, cp).ok());
  first->done({model::InvocationOutput{model::InvocationStatus::kPending, {}, {}}, std::nullopt});
  return started->execution.arn;
}

// The due time of the wait's timer, from the claims.
std::map<std::string, TimestampMs> WaitDue(const std::vector<RecordingStore::Claim>& claims) {
  std::map<std::string, TimestampMs> due;
  for (const auto& c : claims) {
    for (const auto& t : c.timers) {
      if (t.key.kind == store::TimerKind::kWaitEnd) due[t.key.arn] = t.due_at;
    }
  }
  return due;
}

// How many claims took at least one wait's timer.
size_t WaitClaims(const std::vector<RecordingStore::Claim>& claims) {
  return static_cast<size_t>(std::count_if(claims.begin(), claims.end(), [](const auto& c) {
    return std::any_of(c.timers.begin(), c.timers.end(), [](const store::Timer& t) {
      return t.key.kind == store::TimerKind::kWaitEnd;
    });
  }));
}

// An engine on `store` with function "fn" registered and its timer loop started (null if the
// start failed). It keeps no suspended execution in memory: they are read back from the store, the
// path these tests look at.
std::unique_ptr<Engine> StartedEngine(store::Store* store, Invoker* invoker) {
  EngineOptions options;
  options.node_id = "n1";
  options.keep_suspended = 0;
  std::unique_ptr<Engine> engine = Engine::Create(store, invoker, SystemClock::Get(), options);
  engine->RegisterFunction({"fn", {}, 900});
  Status st = engine->Start();
  EXPECT_TRUE(st.ok()) << st.ToString();
  return st.ok() ? std::move(engine) : nullptr;
}

// Ends an invocation with SUCCEEDED.
void Succeed(FakeInvoker::Call& call) {
  call.done({model::InvocationOutput{model::InvocationStatus::kSucceeded, "1", {}}, std::nullopt});
}

TEST(TimerThreadTest, ClaimsTimersAheadInFewClaimsAndFiresEachWhenDue) {
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  // Ten waits falling due ~8 ms apart: claimed as they fell due, that was one claim (one store
  // write transaction) each; claimed ahead, a claim covers several.
  constexpr int kExecutions = 10;
  std::vector<std::string> arns;
  for (int i = 0; i < kExecutions; ++i) {
    arns.push_back(StartWaiting(*engine, invoker));
    std::this_thread::sleep_for(std::chrono::milliseconds(8));
  }
  std::map<std::string, TimestampMs> woken;  // arn -> time its next invocation arrived
  for (int i = 0; i < kExecutions; ++i) {
    std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
    ASSERT_TRUE(next.has_value());
    woken[next->request.input.durable_execution_arn] = SystemClock::Get()->NowMs();
    Succeed(*next);
  }
  std::vector<RecordingStore::Claim> claims = store.Claims();
  std::map<std::string, TimestampMs> due = WaitDue(claims);
  ASSERT_EQ(due.size(), size_t{kExecutions});
  const size_t wait_claims = WaitClaims(claims);
  EXPECT_LE(wait_claims, size_t{kExecutions / 2});
  for (const auto& arn : arns) {
    EXPECT_GE(woken[arn], due[arn]) << "fired before its due time";
    auto history = engine->GetHistory(arn, {});
    ASSERT_TRUE(history.ok());
    for (const auto& e : history->events) {
      if (e.type == model::EventType::kWaitSucceeded) EXPECT_GE(e.event_timestamp, due[arn]);
    }
  }
  engine->Shutdown();
}

TEST(TimerThreadTest, AClaimTakesTheWholeWindowAndTheLoopDoesNotClaimAgainAtOnce) {
  // Each claim takes 30 ms. Claiming again right after one would take only the timers that
  // entered the window meanwhile (~30 ms of them); the loop instead sleeps until shortly before
  // the next unclaimed timer and then claims a whole window (~75 ms of timers).
  RecordingStore store(std::chrono::milliseconds(30));
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  constexpr int kExecutions = 60;
  for (int i = 0; i < kExecutions; ++i) {
    StartWaiting(*engine, invoker);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < kExecutions; ++i) {
    std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
    ASSERT_TRUE(next.has_value());
    Succeed(*next);
  }
  std::vector<RecordingStore::Claim> claims = store.Claims();
  std::map<std::string, TimestampMs> due = WaitDue(claims);
  ASSERT_EQ(due.size(), size_t{kExecutions});
  TimestampMs first = INT64_MAX, last = 0;
  for (const auto& [arn, at] : due) {
    first = std::min(first, at);
    last = std::max(last, at);
  }
  const size_t wait_claims = WaitClaims(claims);
  // ~(last - first) / 75 + 1 claims expected; claiming again at once would need ~(last - first)
  // / 30.
  EXPECT_LE(wait_claims, static_cast<size_t>((last - first) / 60 + 2))
      << "timers spread over " << (last - first) << " ms";
  engine->Shutdown();
}

TEST(TimerThreadTest, LoadsASuspendedExecutionBeforeItsClaimedTimerFallsDue) {
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, invoker);
  size_t loads_while_running = store.Loads(arn).size();
  std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
  ASSERT_TRUE(next.has_value());
  std::map<std::string, TimestampMs> due = WaitDue(store.Claims());
  ASSERT_EQ(due.count(arn), 1u);
  std::vector<TimestampMs> loads = store.Loads(arn);
  ASSERT_GT(loads.size(), loads_while_running) << "the suspended execution was never reloaded";
  // The reload for the fire happened while the claimed timer waited for its due time, so the
  // fire itself did not wait for the store.
  EXPECT_LT(loads[loads_while_running], due[arn]);
  Succeed(*next);
  engine->Shutdown();
}

TEST(TimerThreadTest, ShutdownFiresATimerClaimedAheadWhenItFallsDue) {
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, invoker);
  auto t0 = std::chrono::steady_clock::now();
  while (WaitDue(store.Claims()).empty() &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  TimestampMs due = WaitDue(store.Claims())[arn];
  ASSERT_GT(due, 0);
  // Claimed, not yet due (unless this thread was descheduled): shutting down now must not drop
  // it to wait out its lease, it falls due within the claim-ahead window.
  engine->Shutdown();
  ASSERT_EQ(invoker.Pending(), 1u);
  EXPECT_GE(SystemClock::Get()->NowMs(), due);
  auto history = engine->GetHistory(arn, {});
  ASSERT_TRUE(history.ok());
  bool succeeded = false;
  for (const auto& e : history->events) {
    succeeded = succeeded || e.type == model::EventType::kWaitSucceeded;
  }
  EXPECT_TRUE(succeeded);
}

TEST(TimerThreadTest, ArmingAWaitWakesTheLoopWhichFiresItOnTime) {
  store::MemoryStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);  // the loop now sleeps until the execution-timeout timer
  model::StartRequest req;
  req.function_name = "fn";
  auto started = engine->StartExecution(req);
  ASSERT_TRUE(started.ok());
  std::string arn = started->execution.arn;
  FakeInvoker::Call first = invoker.Pop();
  model::CheckpointRequest cp;
  cp.checkpoint_token = first.request.input.checkpoint_token;
  cp.updates = {WaitStart("w1", 1)};
  ASSERT_TRUE(engine->Checkpoint(arn, cp).ok());
  auto t0 = std::chrono::steady_clock::now();
  first.done({model::InvocationOutput{model::InvocationStatus::kPending, {}, {}}, std::nullopt});
  while (invoker.Pending() == 0 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(invoker.Pending(), 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
  FakeInvoker::Call second = invoker.Pop();
  EXPECT_EQ(second.request.input.updated_operation_ids->size(), 1u);
  std::thread finisher([&] {
    second.done(
        {model::InvocationOutput{model::InvocationStatus::kSucceeded, "1", {}}, std::nullopt});
  });
  auto closed = engine->AwaitClosed(arn, std::chrono::seconds(5));
  finisher.join();
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, model::ExecutionStatus::kSucceeded);
  engine->Shutdown();
}

// How many events of `type` the execution's history has.
int CountEvents(Engine& engine, const std::string& arn, model::EventType type) {
  auto history = engine.GetHistory(arn, {});
  EXPECT_TRUE(history.ok());
  if (!history.ok()) return -1;
  return static_cast<int>(std::count_if(history->events.begin(), history->events.end(),
                                        [&](const model::Event& e) { return e.type == type; }));
}

TEST(TimerThreadTest, LoadsSuspendedExecutionsShortlyBeforeTheirTimersAtMostTwoAtATime) {
  // Loading every claimed execution as soon as its claim arrived meant a few hundred reads at
  // once on the store's one connection, up to 100 ms ahead, holding up the timers firing then.
  RecordingStore store(/*claim_delay=*/{}, /*load_delay=*/std::chrono::milliseconds(2));
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  constexpr int kExecutions = 30;
  std::map<std::string, size_t> loads_before;  // loads while it ran (none expected)
  for (int i = 0; i < kExecutions; ++i) {
    std::string arn = StartWaiting(*engine, invoker);
    loads_before[arn] = store.Loads(arn).size();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < kExecutions; ++i) {
    std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
    ASSERT_TRUE(next.has_value());
    Succeed(*next);
  }
  std::map<std::string, TimestampMs> due = WaitDue(store.Claims());
  ASSERT_EQ(due.size(), size_t{kExecutions});
  int early = 0;
  for (const auto& [arn, before] : loads_before) {
    std::vector<TimestampMs> loads = store.Loads(arn);
    ASSERT_GT(loads.size(), before) << "never reloaded";
    // kPrefetchAheadMs (20) before its due time at the earliest, 1 ms for the clock's rounding.
    if (loads[before] < due[arn] - 21) ++early;
  }
  EXPECT_EQ(early, 0) << "executions loaded more than 20 ms before their timers";
  EXPECT_LE(store.MaxConcurrentLoads(), 2);
  engine->Shutdown();
}

TEST(TimerThreadTest, AWaitsInvocationStartsWhileItsFireIsStillBeingCommitted) {
  // A wait's end is decided by the clock alone: should the commit not happen, the timer fires
  // again and decides the same, so its invocation need not wait for the fsync.
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, invoker);
  store.HoldCommits();
  std::shared_ptr<void> release(nullptr, [&](void*) { store.Release(); });  // also on failure
  ASSERT_TRUE(store.AwaitHeldCommit()) << "the timer never fired";
  std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(2));
  ASSERT_TRUE(next.has_value()) << "the invocation waited for the commit";
  EXPECT_THAT(*next->request.input.updated_operation_ids, ::testing::ElementsAre("w1"));
  // Its checkpoint waits for the commit it follows.
  std::atomic<bool> checkpointed{false};
  std::thread sdk([&] {
    model::CheckpointRequest cp;
    cp.checkpoint_token = next->request.input.checkpoint_token;
    cp.updates = {StepStart("s1")};
    EXPECT_TRUE(engine->Checkpoint(arn, cp).ok());
    checkpointed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(checkpointed) << "a checkpoint went ahead of the commit it depends on";
  store.Release();
  sdk.join();
  Succeed(*next);
  auto closed = engine->AwaitClosed(arn, std::chrono::seconds(5));
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(CountEvents(*engine, arn, model::EventType::kWaitSucceeded), 1);
  engine->Shutdown();
}

TEST(TimerThreadTest, ACallbackTimeoutsInvocationWaitsForItsCommit) {
  // A callback's answer could still win if the timeout's commit failed: its invocation must not
  // see the timeout before it is durable.
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, invoker, CallbackStart("c1", /*timeout=*/1));
  store.HoldCommits();
  std::shared_ptr<void> release(nullptr, [&](void*) { store.Release(); });  // also on failure
  ASSERT_TRUE(store.AwaitHeldCommit()) << "the timer never fired";
  EXPECT_FALSE(invoker.WaitPop(std::chrono::milliseconds(200)).has_value());
  store.Release();
  std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(CountEvents(*engine, arn, model::EventType::kCallbackTimedOut), 1);
  Succeed(*next);
  engine->Shutdown();
}

TEST(TimerThreadTest, AnInvocationStartedBeforeAFailedCommitIsLeftStale) {
  RecordingStore store;
  FakeInvoker invoker;
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, invoker);
  store.FailNextCommit();
  std::optional<FakeInvoker::Call> next = invoker.WaitPop(std::chrono::seconds(5));
  ASSERT_TRUE(next.has_value());
  // The fire's commit failed: the invocation it started names nothing the engine knows.
  model::CheckpointRequest cp;
  cp.checkpoint_token = next->request.input.checkpoint_token;
  cp.updates = {StepStart("s1")};
  auto st = engine->Checkpoint(arn, cp);
  EXPECT_FALSE(st.ok());
  Succeed(*next);  // ignored
  EXPECT_EQ(CountEvents(*engine, arn, model::EventType::kWaitSucceeded), 0);
  EXPECT_EQ(CountEvents(*engine, arn, model::EventType::kExecutionSucceeded), 0);
  auto ex = engine->AwaitClosed(arn, std::chrono::milliseconds(1));
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->status, model::ExecutionStatus::kRunning);
  engine->Shutdown();
}

TEST(TimerThreadTest, AnInvocationRefusedAtOnceBeforeItsCommitIsRecordedAfterIt) {
  // The invoker reports the end on the firing thread, which holds the execution's lock until its
  // commit: delivered then, not waited for (that deadlocked).
  RecordingStore store;
  FakeInvoker fake;
  RefusingInvoker invoker(&fake);
  std::unique_ptr<Engine> engine = StartedEngine(&store, &invoker);
  ASSERT_NE(engine, nullptr);
  std::string arn = StartWaiting(*engine, fake);
  invoker.Refuse();
  auto t0 = std::chrono::steady_clock::now();
  int completed = 0;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    completed = CountEvents(*engine, arn, model::EventType::kInvocationCompleted);
    if (completed >= 2) break;  // the first invocation's, then the refused one(s)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(completed, 2);
  EXPECT_EQ(CountEvents(*engine, arn, model::EventType::kWaitSucceeded), 1);
  engine->Shutdown();
}

TEST(AwaitClosedTest, ReturnsTheRunningRecordWhenTheTimeoutPasses) {
  Harness h;
  std::string arn = h.Start();
  auto ex = h.engine().AwaitClosed(arn, std::chrono::milliseconds(1));
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->status, model::ExecutionStatus::kRunning);
  EXPECT_EQ(h.engine().AwaitClosed("arn:none", std::chrono::milliseconds(1)).status().code(),
            StatusCode::kNotFound);
}

TEST(ListTest, ListsExecutionsOfAFunctionByAnyNameForm) {
  Harness h;
  h.Start("1", "a");
  h.Start("2", "b");
  model::ListRequest req;
  req.function_name = "arn:aws:lambda:us-east-1:123456789012:function:fn";
  auto listed = h.engine().ListExecutions(req);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->executions.size(), 2u);
  req.function_name = "nope";
  EXPECT_EQ(h.engine().ListExecutions(req).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace durable::engine::testing
