// Tests of the built-in approval-workflow handler over the SDK's in-memory engine twin and a
// recording fake backend: validation, each outcome as a result, outcome notification and
// completion, and no repeated backend calls on replay.
#include "durable/approvals/workflow.h"

#include <gtest/gtest.h>

#include "durable/approvals/fake_backend_test_util.h"
#include "durable/sdk/test_util.h"

namespace durable::approvals {
namespace {

using model::InvocationStatus;
using sdk::testing::Harness;
using sdk::testing::Parse;
using Calls = std::vector<std::string>;

Json Input(Json spec_overrides = Json::object()) {
  Json spec = {{"title", "Pay invoice 7"},      {"requester", "rita"},
               {"approvers", {"alice", "bob"}}, {"quorum", 2},
               {"timeout_seconds", 7200},       {"reminder_interval_seconds", 3600},
               {"payload", {{"amount", 1200}}}};
  spec.update(spec_overrides);
  return Json{{"spec", spec}};
}

class WorkflowTest : public ::testing::Test {
 protected:
  Harness h;
  testing::FakeBackend backend;
  sdk::Handler handler = MakeApprovalWorkflow(backend);
};

TEST_F(WorkflowTest, ApprovedRunsTheOutcomeStepNotifiesAndCompletes) {
  ASSERT_EQ(h.Start(handler, Input().dump()).status, InvocationStatus::kPending);
  std::string cb = backend.callback_id();
  EXPECT_EQ(backend.spec().quorum, 2);
  EXPECT_EQ(backend.spec().payload["amount"], 1200);
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved,
                                     Decision{"alice", "approve", "fine", 1000, "api"})
                  .ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  Json result = Parse(out.result);
  EXPECT_EQ(result["status"], "approved");
  EXPECT_EQ(result["approval_id"], "apr-1");
  EXPECT_EQ(result["decisions"][0]["comment"], "fine");
  EXPECT_EQ(backend.calls(), (Calls{"register", "notify:request:0", "attach:" + cb,
                                    "notify:outcome:0", "complete"}));
  for (const char* name :
       {"validate", "approval:register", "outcome:approved", "approval:complete"}) {
    EXPECT_TRUE(h.client.FindByName(name).has_value()) << name;
  }
  EXPECT_EQ(Parse(h.client.FindByName("outcome:approved")->step_details->result)["status"],
            "approved");
}

TEST_F(WorkflowTest, RejectedAndCancelledAreResults) {
  for (auto status : {ApprovalStatus::kRejected, ApprovalStatus::kCancelled}) {
    Harness h2;
    testing::FakeBackend b2;
    auto handler2 = MakeApprovalWorkflow(b2);
    h2.Start(handler2, Input().dump());
    ASSERT_TRUE(testing::DecideAndWake(b2, h2.client, status).ok());
    auto out = h2.Next(handler2);
    ASSERT_EQ(out.status, InvocationStatus::kSucceeded) << ToString(status);
    EXPECT_EQ(Parse(out.result)["status"], ToString(status));
    EXPECT_TRUE(h2.client.FindByName("outcome:" + ToString(status)).has_value());
    EXPECT_EQ(b2.calls().back(), "complete");
  }
}

TEST_F(WorkflowTest, ExpiredAfterTheReminder) {
  h.Start(handler, Input().dump());
  model::InvocationOutput out;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(h.client.TimeOutCallback(backend.callback_id(), "Callback.Timeout").ok());
    out = h.Next(handler);
  }
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "expired");
  auto calls = backend.calls();
  ASSERT_EQ(calls.size(), 8u);
  EXPECT_EQ(calls[3], "notify:reminder:1");
  EXPECT_EQ(calls[5], "expire");
  EXPECT_EQ(calls[6], "notify:outcome:0");
  EXPECT_EQ(calls[7], "complete");
  EXPECT_TRUE(h.client.FindByName("outcome:expired").has_value());
}

TEST_F(WorkflowTest, PassesTheApprovalIdFromTheInput) {
  Json input = Input();
  input["approval_id"] = "apr-77";
  h.Start(handler, input.dump());
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved).ok());
  EXPECT_EQ(Parse(h.Next(handler).result)["approval_id"], "apr-77");
}

TEST_F(WorkflowTest, InvalidInputFailsTheExecutionWithoutBackendCalls) {
  struct Case {
    std::string input;
    std::string message;
  };
  std::vector<Case> cases = {
      {"[1]", "input must be a JSON object"},
      {"{}", "spec is required"},
      {Input({{"title", ""}}).dump(), "spec.title must be a non-empty string"},
      {Input({{"quorum", 3}}).dump(),
       "spec.quorum must be between 1 and the number of approvers (2)"},
      {[] {
         Json j = Input();
         j["approval_id"] = 5;
         return j.dump();
       }(),
       "approval_id must be a non-empty string"},
  };
  for (const auto& c : cases) {
    Harness h2;
    testing::FakeBackend b2;
    auto out = h2.Start(MakeApprovalWorkflow(b2), c.input);
    ASSERT_EQ(out.status, InvocationStatus::kFailed) << c.input;
    EXPECT_EQ(out.error->error_type, "ValidationException") << c.input;
    EXPECT_EQ(out.error->error_message, c.message);
    EXPECT_TRUE(b2.calls().empty());
    EXPECT_EQ(h2.invocations, 1);  // not retried
  }
}

TEST_F(WorkflowTest, OutcomeNotificationFailureStillCompletes) {
  h.Start(handler, Input().dump());
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved).ok());
  backend.FailNext(Unavailable("webhook down"));
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kPending);  // the outcome step waits for its retry
  ASSERT_EQ(h.client.FireTimers(true), 1);
  out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  auto calls = backend.calls();
  EXPECT_EQ(Calls(calls.end() - 3, calls.end()),
            (Calls{"notify:outcome:0", "notify:outcome:0", "complete"}));
}

TEST_F(WorkflowTest, ReplayAfterCompletionCallsNothing) {
  h.Start(handler, Input().dump());
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kRejected).ok());
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kSucceeded);
  auto calls = backend.calls();
  sdk::MemoryCheckpointClient replay(&h.clock);
  auto input = replay.Start(Input().dump());
  for (const auto& op : h.client.operations()) {
    if (op.type != model::OperationType::kExecution) {
      input.initial_execution_state.operations.push_back(op);
    }
  }
  auto out = sdk::RunDurableInvocation(handler, input, replay, h.options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out->result)["status"], "rejected");
  EXPECT_EQ(backend.calls(), calls);
}

}  // namespace
}  // namespace durable::approvals
