// Exact histories for STEP (success, retry with error, WaitForCondition polls, failure) and for
// an EXECUTION SUCCEED/FAIL checkpoint (conformance.md §3.4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

using model::OperationStatus;
using ::testing::ElementsAre;

TEST(StepTest, SuccessEmitsStartedAndSucceededThenClosesOnOutput) {
  Harness h;
  std::string arn = h.Start("{\"a\":1}");
  Session s = h.Next();
  ASSERT_TRUE(s.input().updated_operation_ids.has_value());
  EXPECT_TRUE(s.input().updated_operation_ids->empty());
  const auto& ops = s.input().initial_execution_state.operations;
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].type, model::OperationType::kExecution);
  EXPECT_EQ(ops[0].id, arn.substr(arn.rfind('/') + 1));
  EXPECT_EQ(ops[0].execution_details->input_payload, "{\"a\":1}");

  auto r = s.Checkpoint({StepStart("s1", "charge"), StepSucceed("s1", "\"ok\"")});
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].status, OperationStatus::kSucceeded);
  EXPECT_EQ(r.operations[0].step_details->attempt, 1);
  EXPECT_EQ(r.operations[0].step_details->result, "\"ok\"");
  EXPECT_TRUE(r.checkpoint_token.has_value());
  s.ReturnSucceeded("\"done\"");

  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={\"a\":1} timeout=86400",
                          "2 StepStarted id=s1 sub=Step name=charge",
                          "3 StepSucceeded id=s1 sub=Step name=charge result=\"ok\" attempt=1",
                          "4 InvocationCompleted", "5 ExecutionSucceeded result=\"done\""));
  auto ex = h.Execution(arn);
  EXPECT_EQ(ex.status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(ex.result, "\"done\"");
  EXPECT_EQ(h.PendingInvocations(), 0u);
}

TEST(StepTest, InvocationCompletedCarriesTimestampsAndRequestId) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  h.clock().AdvanceMs(250);
  s.ReturnSucceeded(std::nullopt);
  auto history = h.engine().GetHistory(arn, {});
  ASSERT_TRUE(history.ok());
  const auto& done = history->events[1];
  ASSERT_EQ(done.type, model::EventType::kInvocationCompleted);
  EXPECT_EQ(done.request_id, s.request_id());
  EXPECT_EQ(*done.invocation_end_timestamp - *done.invocation_start_timestamp, 250);
  EXPECT_FALSE(done.error.has_value());
  EXPECT_FALSE(done.id.has_value());
}

TEST(StepTest, RetryWithErrorEmitsStepFailedAndBecomesReadyAtNextAttempt) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  auto r = s1.Checkpoint(
      {StepStart("s1", "flaky"), StepRetry("s1", Err("TransientError", "boom"), std::nullopt, 2)});
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].status, OperationStatus::kPending);
  EXPECT_EQ(r.operations[0].step_details->attempt, 1);
  EXPECT_EQ(r.operations[0].step_details->next_attempt_timestamp, h.clock().NowMs() + 2000);
  s1.ReturnPending();
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1999);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(1);

  Session s2 = h.Next();
  const auto& ops = s2.input().initial_execution_state.operations;
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].status, OperationStatus::kReady);
  EXPECT_EQ(ops[1].step_details->attempt, 1);
  EXPECT_EQ(ops[1].step_details->error, Err("TransientError", "boom"));
  EXPECT_THAT(*s2.input().updated_operation_ids, ElementsAre("s1"));
  s2.Checkpoint({StepStart("s1", "flaky"), StepSucceed("s1", "\"fine\"")});
  s2.ReturnSucceeded("\"fine\"");

  EXPECT_THAT(
      h.History(arn),
      ElementsAre(
          "1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step name=flaky",
          "3 StepFailed id=s1 sub=Step name=flaky error=TransientError:boom attempt=1 delay=2",
          "4 InvocationCompleted", "5 StepStarted id=s1 sub=Step name=flaky",
          "6 StepSucceeded id=s1 sub=Step name=flaky result=\"fine\" attempt=2",
          "7 InvocationCompleted", "8 ExecutionSucceeded result=\"fine\""));
}

TEST(StepTest, WaitForConditionPollEmitsStepSucceededAndKeepsStateThroughReady) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint(
      {StepStart("c1", "poll", "WaitForCondition"), StepRetry("c1", std::nullopt, "1", 1)});
  s1.ReturnPending();
  h.Advance(1000);
  Session s2 = h.Next();
  const auto& op = s2.input().initial_execution_state.operations.at(1);
  EXPECT_EQ(op.status, OperationStatus::kReady);
  EXPECT_EQ(op.step_details->result, "1");
  auto r = s2.Checkpoint({StepStart("c1", "poll", "WaitForCondition")});
  EXPECT_EQ(r.operations.at(0).step_details->result, "1");  // kept on START
  s2.Checkpoint({StepSucceed("c1", "2")});
  s2.ReturnSucceeded("2");

  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400",
                  "2 StepStarted id=c1 sub=WaitForCondition name=poll",
                  "3 StepSucceeded id=c1 sub=WaitForCondition name=poll result=1 attempt=1 "
                  "delay=1",
                  "4 InvocationCompleted", "5 StepStarted id=c1 sub=WaitForCondition name=poll",
                  "6 StepSucceeded id=c1 sub=WaitForCondition name=poll result=2 attempt=2",
                  "7 InvocationCompleted", "8 ExecutionSucceeded result=2"));
}

TEST(StepTest, FailedStepAndFailedOutputFailTheExecution) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  s.Checkpoint({StepStart("s1"), StepFail("s1", Err("StepError", "boom"))});
  s.ReturnFailed(Err("StepError", "boom"));
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step",
                  "3 StepFailed id=s1 sub=Step error=StepError:boom attempt=1",
                  "4 InvocationCompleted", "5 ExecutionFailed error=StepError:boom"));
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kFailed);
}

TEST(ExecutionCheckpointTest, SucceedUpdateClosesRightAfterInvocationCompleted) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  auto r = s.Checkpoint({ExecutionUpdate(model::OperationAction::kSucceed, "\"big\"")});
  EXPECT_FALSE(r.checkpoint_token.has_value());
  EXPECT_TRUE(r.operations.empty());
  EXPECT_EQ(h.Execution(arn).status, model::ExecutionStatus::kRunning);
  auto again = s.TryCheckpoint({});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidToken);
  s.ReturnSucceeded("");  // the SDK returns an empty Result after checkpointing it
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 InvocationCompleted",
                          "3 ExecutionSucceeded result=\"big\""));
  EXPECT_EQ(h.Execution(arn).result, "\"big\"");
}

TEST(ExecutionCheckpointTest, FailUpdateThenCrashStillClosesWithTheCheckpointedError) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  s.Checkpoint(
      {ExecutionUpdate(model::OperationAction::kFail, std::nullopt, Err("BigError", "too large"))});
  s.Crash();
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 InvocationCompleted error=Runtime.ExitError:exit status 1",
                          "3 ExecutionFailed error=BigError:too large"));
  EXPECT_EQ(h.PendingInvocations(), 0u);
}

}  // namespace
}  // namespace durable::engine::testing
