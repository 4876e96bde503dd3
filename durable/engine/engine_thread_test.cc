// The shell with real threads: the push-based timer loop and AwaitClosed. These use the system
// clock and a one-second wait, the shortest the protocol allows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

// A MemoryStore that records every timer claim and every load, with the (system) time of each.
class RecordingStore final : public store::Store {
 public:
  struct Claim {
    TimestampMs at = 0;  // clock time of the call
    std::vector<store::Timer> timers;
  };
  explicit RecordingStore(std::chrono::milliseconds claim_delay = {}) : claim_delay_(claim_delay) {}
  std::vector<Claim> Claims() {
    std::lock_guard<std::mutex> lock(mu_);
    return claims_;
  }
  std::vector<TimestampMs> Loads(const std::string& arn) {
    std::lock_guard<std::mutex> lock(mu_);
    return loads_[arn];
  }

  Status Create(const store::Commit& first) override { return inner_.Create(first); }
  Status Apply(const store::Commit& commit) override { return inner_.Apply(commit); }
  Result<store::ExecutionSnapshot> Load(const std::string& arn) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      loads_[arn].push_back(SystemClock::Get()->NowMs());
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
  std::mutex mu_;
  std::vector<Claim> claims_;  // only those that claimed something
  std::map<std::string, std::vector<TimestampMs>> loads_;
};

// Starts an execution of "fn", checkpoints a one-second wait from its first invocation and ends
// that invocation PENDING (the execution is suspended and evicted). Returns the arn.
std::string StartWaiting(Engine& engine, FakeInvoker& invoker) {
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
  cp.updates = {WaitStart("w1", 1)};
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
std::unique_ptr<Engine> StartedEngine(store::Store* store, FakeInvoker* invoker) {
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
