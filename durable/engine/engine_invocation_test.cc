// The invocation state machine: function errors and the retry budget, stop, execution timeout,
// checkpoint tokens, idempotent replay, async changes delivered to or re-invoking a handler.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Limits RetryLimits() {
  Limits l;
  l.max_invocation_failures = 3;
  l.invocation_retry_base_ms = 100;
  return l;
}

TEST(InvocationTest, CrashIsRetriedPromptlyThenWithBackoffUntilTheBudgetIsSpent) {
  Harness h(RetryLimits());
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({StepStart("s1")});
  s1.Crash();
  ASSERT_EQ(h.PendingInvocations(), 1u);  // first retry: promptly
  Session s2 = h.Next();
  auto stale = s1.TryCheckpoint({});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kInvalidToken);
  EXPECT_THAT(stale.status().message(), StartsWith("Invalid Checkpoint Token"));
  s2.Crash();
  EXPECT_EQ(h.PendingInvocations(), 0u);  // second retry after the backoff base
  h.Advance(99);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1);
  Session s3 = h.Next();
  s3.Crash("killed");
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step",
                  "3 InvocationCompleted error=Runtime.ExitError:exit status 1",
                  "4 InvocationCompleted error=Runtime.ExitError:exit status 1",
                  "5 InvocationCompleted error=Runtime.ExitError:killed",
                  "6 ExecutionFailed error=Runtime.ExitError:killed"));
  EXPECT_EQ(h.PendingInvocations(), 0u);
}

TEST(InvocationTest, AnInvocationNeverReportedBackIsDeclaredLostByAWatchdogKeptInMemory) {
  Limits l = RetryLimits();
  l.invocation_watchdog_margin_ms = 1000;
  Harness h(l);  // "fn" has a 900 s timeout
  const TimestampMs started = h.clock().NowMs();
  std::string arn = h.Start();
  Session lost = h.Next();
  // No timer row for the watchdog: the store's next timer is the execution's timeout (1 day).
  auto next = h.store().NextDueAt();
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, started + 86'400'000);
  h.Advance(900'000 + 999);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1);
  ASSERT_EQ(h.PendingInvocations(), 1u);  // declared lost at timeout + margin, retried promptly
  Session retry = h.Next();
  lost.ReturnSucceeded("\"late\"");  // the lost one reports back after all: ignored
  retry.ReturnSucceeded("\"ok\"");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 InvocationCompleted error=Sandbox.Timedout:The invocation did not "
                          "complete in time.",
                          "3 InvocationCompleted", "4 ExecutionSucceeded result=\"ok\""));
}

TEST(InvocationTest, CleanInvocationResetsTheFailureCounterAndReplayCompletesAStartedStep) {
  Harness h(RetryLimits());
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({StepStart("s1")});
  s1.Crash();
  Session s2 = h.Next();
  EXPECT_EQ(s2.input().initial_execution_state.operations.at(1).status,
            model::OperationStatus::kStarted);
  s2.Checkpoint({StepSucceed("s1", "1"), WaitStart("w1", 1)});
  s2.ReturnPending();
  EXPECT_EQ(h.Execution(arn).failed_invocations, 0);
  h.Advance(1000);
  h.Next().ReturnSucceeded("1");
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step",
                  "3 InvocationCompleted error=Runtime.ExitError:exit status 1",
                  "4 StepSucceeded id=s1 sub=Step result=1 attempt=1",
                  "5 WaitStarted id=w1 sub=Wait duration=1", "6 InvocationCompleted",
                  "7 WaitSucceeded id=w1 sub=Wait duration=1", "8 InvocationCompleted",
                  "9 ExecutionSucceeded result=1"));
}

TEST(InvocationTest, PendingWithNothingPendingIsAnInvalidOutputAndRetried) {
  Harness h(RetryLimits());
  std::string arn = h.Start();
  h.Next().ReturnPending();
  EXPECT_EQ(h.History(arn).at(1),
            "2 InvocationCompleted error=InvalidInvocationOutput:Cannot return PENDING status with "
            "no pending operations.");
  EXPECT_EQ(h.PendingInvocations(), 1u);
}

TEST(InvocationTest, ChangeDeliveredInACheckpointResponseDoesNotReinvoke) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  auto r = s1.Checkpoint({CallbackStart("cb1"), WaitStart("w1", 60)});
  std::string id = *r.operations.at(0).callback_details->callback_id;
  ASSERT_TRUE(h.engine().CallbackSucceed(id, "1").ok());
  EXPECT_EQ(h.PendingInvocations(), 0u);  // one invocation in flight at most
  auto poll = s1.Checkpoint({});
  ASSERT_EQ(poll.operations.size(), 1u);
  EXPECT_EQ(poll.operations[0].status, model::OperationStatus::kSucceeded);
  s1.ReturnPending();
  EXPECT_EQ(h.PendingInvocations(), 0u);
}

TEST(InvocationTest, ChangeNotSeenByTheRunningInvocationReinvokesAfterPending) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  auto r = s1.Checkpoint({CallbackStart("cb1")});
  ASSERT_TRUE(
      h.engine().CallbackSucceed(*r.operations.at(0).callback_details->callback_id, "1").ok());
  s1.ReturnPending();
  Session s2 = h.Next();
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("cb1"));
  EXPECT_THAT(h.History(arn), ElementsAre("1 ExecutionStarted input={} timeout=86400",
                                          "2 CallbackStarted id=cb1 sub=Callback callback",
                                          "3 CallbackSucceeded id=cb1 sub=Callback result=1",
                                          "4 InvocationCompleted"));
}

TEST(InvocationTest, DueTimerFiresDuringACheckpointAndNeverTwice) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({WaitStart("w1", 1)});
  h.clock().AdvanceMs(1000);
  auto poll = s1.Checkpoint({});
  ASSERT_EQ(poll.operations.size(), 1u);
  EXPECT_EQ(poll.operations[0].status, model::OperationStatus::kSucceeded);
  h.engine().RunDueTimersForTest();
  s1.ReturnSucceeded("1");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 WaitStarted id=w1 sub=Wait duration=1",
                          "3 WaitSucceeded id=w1 sub=Wait duration=1", "4 InvocationCompleted",
                          "5 ExecutionSucceeded result=1"));
}

TEST(StopTest, StopClosesRejectsCheckpointsAndAppendsNothingAfterwards) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({WaitStart("w1", 10)});
  h.clock().AdvanceMs(5);
  auto stopped = h.engine().Stop(arn, std::nullopt);
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(*stopped, h.clock().NowMs());
  auto late = s1.TryCheckpoint({StepStart("s1")});
  EXPECT_EQ(late.status().code(), StatusCode::kInvalidToken);
  s1.ReturnPending();
  h.Advance(10'000);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 WaitStarted id=w1 sub=Wait duration=10",
                          "3 ExecutionStopped error=Execution.Stopped:Execution stopped by user "
                          "request"));
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kStopped);
  h.clock().AdvanceMs(5);
  auto again = h.engine().Stop(arn, Err("Cancelled", "again"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *stopped);  // idempotent: the original stop time
  EXPECT_EQ(h.engine().Stop("arn:nope", std::nullopt).status().code(), StatusCode::kNotFound);
}

TEST(TimeoutTest, ExecutionTimeoutTimesOutAndDisarmsEveryTimer) {
  model::DurableConfig config;
  config.execution_timeout_seconds = 10;
  Harness h({}, config);
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({WaitStart("w1", 60)});
  s1.ReturnPending();
  h.Advance(10'000);
  h.Advance(60'000);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=10",
                          "2 WaitStarted id=w1 sub=Wait duration=60", "3 InvocationCompleted",
                          "4 ExecutionTimedOut error=Execution.TimedOut:Execution timed out after "
                          "10 seconds."));
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kTimedOut);
}

TEST(TokenTest, RejectsUsedMalformedForeignAndUnknownTokens) {
  Harness h;
  std::string arn = h.Start();
  std::string other = h.Start();
  Session s = h.Next();
  Session o = h.Next();
  std::string first = s.token();
  s.Checkpoint({StepStart("s1")});
  auto check = [&](const std::string& target, const std::string& token) {
    model::CheckpointRequest req;
    req.checkpoint_token = token;
    auto r = h.engine().Checkpoint(target, req);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidToken) << token;
    EXPECT_THAT(r.status().message(), StartsWith("Invalid Checkpoint Token"));
  };
  check(arn, first);            // already used
  check(arn, "not-base64!");    // malformed
  check(arn, o.token());        // another execution's
  check(arn + "x", s.token());  // unknown execution
  auto state = h.engine().GetState(arn, {first, std::nullopt, std::nullopt});
  EXPECT_TRUE(state.ok());  // reads accept any token of the current invocation
}

// The latest token a checkpoint response issued is accepted by comparing bytes (no decoding):
// the same bytes are still refused once the execution is no longer running, or after the
// invocation they were issued to was replaced.
TEST(TokenTest, TheIssuedTokenIsValidOnlyWhileItsInvocationRunsOpen) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  s.Checkpoint({StepStart("s1")});
  s.Checkpoint({StepSucceed("s1", "1")});  // with the token the previous response issued
  std::string issued = s.token();
  ASSERT_TRUE(h.engine().Stop(arn, std::nullopt).ok());
  model::CheckpointRequest req;
  req.checkpoint_token = issued;
  auto r = h.engine().Checkpoint(arn, req);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidToken);
  EXPECT_THAT(r.status().message(), HasSubstr("not running"));

  std::string other = h.Start();
  Session a = h.Next();
  a.Checkpoint({StepStart("s1")});
  std::string old = a.token();
  a.Crash();
  Session b = h.Next();  // the retry: a new invocation
  req.checkpoint_token = old;
  r = h.engine().Checkpoint(other, req);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidToken);
  EXPECT_THAT(r.status().message(), HasSubstr("earlier invocation"));
  b.Checkpoint({StepSucceed("s1", "1")});
}

TEST(ReplayTest, WithoutAClientTokenNothingIsRememberedNorSerialized) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  model::CheckpointRequest req;
  req.checkpoint_token = s.token();
  req.updates = {StepStart("s1"), StepSucceed("s1", "1")};
  auto first = h.engine().Checkpoint(arn, req);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->serialized.has_value());  // the HTTP route serializes the response itself
  ASSERT_EQ(first->operations.size(), 1u);
  // The token moved on and no answer was kept for the old one.
  EXPECT_EQ(h.engine().Checkpoint(arn, req).status().code(), StatusCode::kInvalidToken);
}

TEST(ReplayTest, RepeatedRequestGetsTheStoredResponseByteForByte) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  model::CheckpointRequest req;
  req.checkpoint_token = s.token();
  req.client_token = "ct-1";
  req.updates = {StepStart("s1"), StepSucceed("s1", "1")};
  auto first = h.engine().Checkpoint(arn, req);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->serialized.has_value());
  auto second = h.engine().Checkpoint(arn, req);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->serialized, first->serialized);
  EXPECT_EQ(second->checkpoint_token, first->checkpoint_token);
  EXPECT_EQ(second->operations, first->operations);
  req.updates = {StepStart("s2")};
  EXPECT_EQ(h.engine().Checkpoint(arn, req).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(h.History(arn).size(), 3u);  // applied once
}

}  // namespace
}  // namespace durable::engine::testing
