// Exact histories for WAIT, CALLBACK (success, failure, timeout, heartbeat timeout, keep-alive)
// and CONTEXT, plus envelope pruning of completed contexts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "durable/base/ids.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

using model::OperationStatus;
using ::testing::ElementsAre;

std::string CallbackIdOf(const model::CheckpointResponse& r) {
  return r.operations.at(0).callback_details->callback_id.value_or("");
}

TEST(WaitTest, TimerFiresWaitSucceededAndReinvokesWithTheWaitAsUpdated) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  TimestampMs start = h.clock().NowMs();
  auto r = s1.Checkpoint({WaitStart("w1", 2)});
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].status, OperationStatus::kStarted);
  EXPECT_EQ(r.operations[0].wait_details->scheduled_end_timestamp, start + 2000);
  s1.ReturnPending();
  h.Advance(1000);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1000);
  Session s2 = h.Next();
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("w1"));
  EXPECT_EQ(s2.input().initial_execution_state.operations.at(1).status,
            OperationStatus::kSucceeded);
  s2.ReturnSucceeded("\"done\"");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 WaitStarted id=w1 sub=Wait duration=2", "3 InvocationCompleted",
                          "4 WaitSucceeded id=w1 sub=Wait duration=2", "5 InvocationCompleted",
                          "6 ExecutionSucceeded result=\"done\""));
}

TEST(WaitTest, ASuspendedExecutionIsNotHeldInMemoryAndResumesFromTheStore) {
  Harness h;
  auto& impl = dynamic_cast<EngineImpl&>(h.engine());
  std::string arn = h.Start();
  EXPECT_EQ(impl.LoadedExecutions(), 1u);
  Session s1 = h.Next();
  s1.Checkpoint({StepStart("s1"), StepSucceed("s1", "1"), WaitStart("w1", 2)});
  s1.ReturnPending();
  EXPECT_EQ(impl.LoadedExecutions(), 0u) << "suspended execution still cached";
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kRunning);  // reloaded on demand
  h.Advance(2000);
  Session s2 = h.Next();
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("w1"));
  ASSERT_EQ(s2.input().initial_execution_state.operations.size(), 3u);
  EXPECT_EQ(s2.input().initial_execution_state.operations.at(1).step_details->result, "1");
  EXPECT_EQ(impl.LoadedExecutions(), 1u);  // in flight again
  s2.ReturnSucceeded("\"done\"");
  EXPECT_EQ(impl.LoadedExecutions(), 0u);
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step",
                  "3 StepSucceeded id=s1 sub=Step result=1 attempt=1",
                  "4 WaitStarted id=w1 sub=Wait duration=2", "5 InvocationCompleted",
                  "6 WaitSucceeded id=w1 sub=Wait duration=2", "7 InvocationCompleted",
                  "8 ExecutionSucceeded result=\"done\""));
}

TEST(WaitTest, TheMostRecentlySuspendedExecutionsStayInMemoryUpToTheLimit) {
  Harness h;
  h.KeepSuspended(2);
  auto& impl = dynamic_cast<EngineImpl&>(h.engine());
  std::vector<std::string> arns;
  for (int i = 0; i < 3; ++i) {
    arns.push_back(h.Start("{}", "e" + std::to_string(i)));
    Session s = h.Next();
    s.Checkpoint({WaitStart("w1", 2)});
    s.ReturnPending();
    EXPECT_EQ(impl.LoadedExecutions(), std::min<size_t>(i + 1, 2)) << i;
  }
  // The two kept ones resume from memory, the evicted one from the store: all three go on.
  h.Advance(2000);
  for (int i = 0; i < 3; ++i) {
    Session s = h.Next();
    EXPECT_THAT(*s.input().updated_operation_ids, ElementsAre("w1"));
    s.ReturnSucceeded("\"done\"");
  }
  EXPECT_EQ(h.PendingInvocations(), 0u);
  EXPECT_EQ(impl.LoadedExecutions(), 0u);  // closed ones leave memory
  EXPECT_EQ(h.Execution(arns[0]).status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.Execution(arns[1]).status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.Execution(arns[2]).status, model::ExecutionStatus::kSucceeded);
}

TEST(WaitTest, AnExecutionSuspendedAgainCountsOnceAmongTheMostRecent) {
  Harness h;
  h.KeepSuspended(2);
  auto& impl = dynamic_cast<EngineImpl&>(h.engine());
  auto suspend = [&](Session& s, const std::string& wait, int seconds) {
    s.Checkpoint({WaitStart(wait, seconds)});
    s.ReturnPending();
  };
  std::string a = h.Start("{}", "a");
  Session sa = h.Next();
  suspend(sa, "w1", 1);
  std::string b = h.Start("{}", "b");
  Session sb = h.Next();
  suspend(sb, "w1", 5);
  h.Advance(1000);  // a resumes and suspends again: the latest of the two
  Session sa2 = h.Next();
  suspend(sa2, "w2", 5);
  EXPECT_TRUE(impl.Loaded(a));
  EXPECT_TRUE(impl.Loaded(b));
  std::string c = h.Start("{}", "c");
  Session sc = h.Next();
  suspend(sc, "w1", 5);  // beyond two: b, the oldest, leaves memory
  EXPECT_TRUE(impl.Loaded(a));
  EXPECT_FALSE(impl.Loaded(b));
  EXPECT_TRUE(impl.Loaded(c));
}

TEST(WaitTest, ReadingASuspendedExecutionDoesNotBringItBackIntoMemory) {
  Harness h;
  auto& impl = dynamic_cast<EngineImpl&>(h.engine());
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({WaitStart("w1", 2)});
  s1.ReturnPending();
  ASSERT_EQ(impl.LoadedExecutions(), 0u);
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kRunning);
  EXPECT_EQ(h.History(arn).size(), 3u);
  model::HistoryRequest last;
  last.reverse_order = true;
  last.max_items = 1;
  auto newest = h.engine().GetHistory(arn, last);
  ASSERT_TRUE(newest.ok()) << newest.status().ToString();
  ASSERT_EQ(newest->events.size(), 1u);
  EXPECT_EQ(newest->events[0].type, model::EventType::kInvocationCompleted);
  EXPECT_EQ(impl.LoadedExecutions(), 0u) << "a read re-cached the suspended execution";
  EXPECT_EQ(
      h.engine()
          .GetHistory("arn:aws:lambda:us-east-1:123456789012:function:f/durable-execution/x/y", {})
          .status()
          .code(),
      StatusCode::kNotFound);
  h.Advance(2000);  // and it still resumes from the store
  Session s2 = h.Next();
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("w1"));
  s2.ReturnSucceeded("\"done\"");
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kSucceeded);
}

TEST(CallbackTest, AwaitClosedFollowsAnExecutionThatWasSuspendedWhileWaiting) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  auto r = s1.Checkpoint({CallbackStart("cb1")});
  std::string callback_id = CallbackIdOf(r);
  std::atomic<bool> closed{false};
  std::thread waiter([&] {
    auto e = h.engine().AwaitClosed(arn, std::chrono::seconds(20));
    closed = e.ok() && e->status == model::ExecutionStatus::kSucceeded;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the waiter is waiting
  s1.ReturnPending();  // suspends: the object the waiter waits on is evicted
  ASSERT_TRUE(h.engine().CallbackSucceed(callback_id, "\"ok\"").ok());
  Session s2 = h.Next();
  s2.ReturnSucceeded("\"done\"");
  waiter.join();
  EXPECT_TRUE(closed.load());
}

TEST(WaitTest, CancelDisarmsTheTimer) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  s.Checkpoint({WaitStart("w1", 5), StepStart("s1")});
  model::OperationUpdate cancel = WaitStart("w1", 5);
  cancel.action = model::OperationAction::kCancel;
  s.Checkpoint({cancel, StepSucceed("s1", "1")});
  h.Advance(5000);
  s.ReturnSucceeded("1");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 WaitStarted id=w1 sub=Wait duration=5", "3 StepStarted id=s1 sub=Step",
                          "4 WaitCancelled id=w1 sub=Wait",
                          "5 StepSucceeded id=s1 sub=Step result=1 attempt=1",
                          "6 InvocationCompleted", "7 ExecutionSucceeded result=1"));
}

TEST(CallbackTest, SuccessStoresTheBodyVerbatimAndReinvokes) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1")}));
  ASSERT_FALSE(id.empty());
  s1.ReturnPending();
  EXPECT_EQ(h.PendingInvocations(), 0u);
  ASSERT_TRUE(h.engine().CallbackSucceed(id, "\"approved\"").ok());
  Session s2 = h.Next();
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("cb1"));
  EXPECT_EQ(s2.input().initial_execution_state.operations.at(1).callback_details->result,
            "\"approved\"");
  EXPECT_EQ(h.engine().CallbackSucceed(id, "again").code(), StatusCode::kCallbackClosed);
  s2.ReturnSucceeded("\"approved\"");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 CallbackStarted id=cb1 sub=Callback callback", "3 InvocationCompleted",
                          "4 CallbackSucceeded id=cb1 sub=Callback result=\"approved\"",
                          "5 InvocationCompleted", "6 ExecutionSucceeded result=\"approved\""));
}

TEST(CallbackTest, EmptySuccessBodyLeavesNoResultButKeepsTheWrapper) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1")}));
  s1.ReturnPending();
  ASSERT_TRUE(h.engine().CallbackSucceed(id, "").ok());
  EXPECT_EQ(h.History(arn).at(3), "4 CallbackSucceeded id=cb1 sub=Callback result=<none>");
}

TEST(CallbackTest, FailureRecordsTheErrorObject) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1")}));
  s1.ReturnPending();
  ASSERT_TRUE(h.engine().CallbackFail(id, Err("Rejected", "not approved")).ok());
  Session s2 = h.Next();
  EXPECT_EQ(s2.input().initial_execution_state.operations.at(1).status, OperationStatus::kFailed);
  s2.ReturnFailed(Err("CallbackError", "not approved"));
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400",
                  "2 CallbackStarted id=cb1 sub=Callback callback", "3 InvocationCompleted",
                  "4 CallbackFailed id=cb1 sub=Callback error=Rejected:not approved",
                  "5 InvocationCompleted", "6 ExecutionFailed error=CallbackError:not approved"));
}

TEST(CallbackTest, TimeoutTimesOutAndLaterCompletionsAreClosed) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1", 3, 0)}));
  s1.ReturnPending();
  h.Advance(3000);
  EXPECT_EQ(h.engine().CallbackSucceed(id, "late").code(), StatusCode::kCallbackClosed);
  Session s2 = h.Next();
  s2.ReturnFailed(Err("CallbackError", "Callback timed out"));
  EXPECT_THAT(
      h.History(arn),
      ElementsAre(
          "1 ExecutionStarted input={} timeout=86400",
          "2 CallbackStarted id=cb1 sub=Callback callback cbtimeout=3", "3 InvocationCompleted",
          "4 CallbackTimedOut id=cb1 sub=Callback error=Callback.Timeout:Callback timed out",
          "5 InvocationCompleted", "6 ExecutionFailed error=CallbackError:Callback timed out"));
}

TEST(CallbackTest, MissedHeartbeatTimesOutWithCallbackHeartbeat) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1", 0, 5)}));
  s1.ReturnPending();
  h.Advance(4000);
  ASSERT_TRUE(h.engine().CallbackHeartbeat(id).ok());
  h.Advance(4000);  // 8 s after start, 4 s after the heartbeat: still alive
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1000);
  ASSERT_EQ(h.PendingInvocations(), 1u);
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 CallbackStarted id=cb1 sub=Callback callback heartbeat=5",
                          "3 InvocationCompleted",
                          "4 CallbackTimedOut id=cb1 sub=Callback "
                          "error=Callback.Heartbeat:Callback timed out on heartbeat"));
  EXPECT_EQ(h.engine().CallbackHeartbeat(id).code(), StatusCode::kCallbackClosed);
}

TEST(CallbackTest, HeartbeatsKeepTheCallbackAliveUntilItSucceeds) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1", 0, 2)}));
  s1.ReturnPending();
  for (int i = 0; i < 5; ++i) {
    h.Advance(1500);
    ASSERT_TRUE(h.engine().CallbackHeartbeat(id).ok());
  }
  ASSERT_TRUE(h.engine().CallbackSucceed(id, "1").ok());
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400",
                  "2 CallbackStarted id=cb1 sub=Callback callback heartbeat=2",
                  "3 InvocationCompleted", "4 CallbackSucceeded id=cb1 sub=Callback result=1"));
}

TEST(CallbackTest, CompletionReinvokesEvenWhileTheHandlerWaitsOnSomethingElse) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1"), WaitStart("w1", 60)}));
  s1.ReturnPending();
  ASSERT_TRUE(h.engine().CallbackSucceed(id, "1").ok());
  EXPECT_EQ(h.PendingInvocations(), 1u);
}

TEST(CallbackTest, UnknownIdsAreInvalidAndClosedExecutionsAnswerCallbackClosed) {
  Harness h;
  EXPECT_EQ(h.engine().CallbackSucceed("bm90LWEtY2FsbGJhY2s=", "x").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(h.engine().CallbackSucceed("", "x").code(), StatusCode::kInvalidArgument);
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::string id = CallbackIdOf(s1.Checkpoint({CallbackStart("cb1")}));
  // The id names its execution: one naming this execution but none of its operations is invalid;
  // one naming an unknown execution is NotFound, as for a purged one.
  EXPECT_EQ(h.engine().CallbackSucceed(Base64Encode(arn + "|forged"), "x").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(h.engine().CallbackSucceed(Base64Encode(arn + "-other|forged"), "x").code(),
            StatusCode::kNotFound);
  s1.ReturnSucceeded("1");  // closes while the callback is still open
  EXPECT_EQ(h.engine().CallbackSucceed(id, "x").code(), StatusCode::kCallbackClosed);
  EXPECT_EQ(h.engine().CallbackHeartbeat(id).code(), StatusCode::kCallbackClosed);
  EXPECT_EQ(h.History(arn).back(), "4 ExecutionSucceeded result=1");
  h.Advance(14LL * 86'400'000);  // retention purge
  EXPECT_EQ(h.engine().GetExecution(arn).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(h.engine().CallbackSucceed(id, "x").code(), StatusCode::kNotFound);
}

TEST(ContextTest, ChildOperationsCarryTheParentIdAndTheContextCompletes) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  model::OperationUpdate start = ContextStart("ctx", "RunInChildContext");
  start.name = "child";
  s.Checkpoint({start, WithParent(StepStart("st"), "ctx"),
                WithParent(StepSucceed("st", "1"), "ctx"), ContextSucceed("ctx", "1")});
  s.ReturnSucceeded("1");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ContextStarted id=ctx sub=RunInChildContext name=child",
                          "3 StepStarted id=st parent=ctx sub=Step",
                          "4 StepSucceeded id=st parent=ctx sub=Step result=1 attempt=1",
                          "5 ContextSucceeded id=ctx sub=RunInChildContext name=child result=1",
                          "6 InvocationCompleted", "7 ExecutionSucceeded result=1"));
}

std::vector<std::string> EnvelopeIdsAfterWait(std::optional<bool> replay_children) {
  Harness h;
  h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({ContextStart("ctx", "RunInChildContext"), WithParent(StepStart("st"), "ctx"),
                 WithParent(StepSucceed("st", "1"), "ctx"),
                 ContextSucceed("ctx", "1", replay_children), WaitStart("w1", 1)});
  s1.ReturnPending();
  h.Advance(1000);
  Session s2 = h.Next();
  std::vector<std::string> ids;
  for (const auto& op : s2.input().initial_execution_state.operations) {
    if (op.type != model::OperationType::kExecution) ids.push_back(op.id);
  }
  return ids;
}

TEST(ContextTest, EnvelopePrunesChildrenOfCompletedContextsUnlessReplayChildren) {
  EXPECT_THAT(EnvelopeIdsAfterWait(std::nullopt), ElementsAre("ctx", "w1"));
  EXPECT_THAT(EnvelopeIdsAfterWait(true), ElementsAre("ctx", "st", "w1"));
}

}  // namespace
}  // namespace durable::engine::testing
