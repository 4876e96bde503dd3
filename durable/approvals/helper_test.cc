// Tests of RequestApproval driven by the SDK's in-memory engine twin (sdk/test_util.h) and a
// recording fake backend: outcomes, segmented waits with reminders / escalation / expiry, retries
// of failing backend calls, and replay (no backend call runs twice).
#include "durable/approvals/helper.h"

#include <gtest/gtest.h>

#include "durable/approvals/fake_backend_test_util.h"
#include "durable/sdk/test_util.h"

namespace durable::approvals {
namespace {

using model::InvocationStatus;
using sdk::DurableContext;
using sdk::testing::Harness;
using sdk::testing::Parse;
using Calls = std::vector<std::string>;

ApprovalSpec Spec(int64_t timeout, int64_t reminder = 0, int64_t escalate_after = 0) {
  ApprovalSpec s;
  s.title = "Deploy";
  s.requester = "rita";
  s.approvers = {"alice", "bob"};
  s.timeout_seconds = timeout;
  s.reminder_interval_seconds = reminder;
  if (escalate_after > 0) s.escalation = {escalate_after, {"dave"}};
  return s;
}

class HelperTest : public ::testing::Test {
 protected:
  sdk::Handler HandlerFor(ApprovalSpec spec, std::optional<std::string> id = std::nullopt) {
    return [this, spec, id](DurableContext& ctx, const Json&) -> Json {
      ++runs;
      return ToJson(RequestApproval(ctx, spec, backend, id));
    };
  }
  // The callback options of the CALLBACK operation named `name`.
  int64_t TimeoutOf(const std::string& name) {
    for (const auto& u : h.AllUpdates()) {
      if (u.name == name && u.callback_options)
        return u.callback_options->timeout_seconds.value_or(0);
    }
    ADD_FAILURE() << "no callback " << name;
    return -1;
  }
  std::string Attach(const std::string& callback_id) { return "attach:" + callback_id; }

  Harness h;
  testing::FakeBackend backend;
  int runs = 0;
};

TEST_F(HelperTest, ApprovedThroughTheCallback) {
  auto handler = HandlerFor(Spec(3600));
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  std::string cb = backend.callback_id();
  ASSERT_FALSE(cb.empty());
  EXPECT_EQ(backend.calls(), (Calls{"register", "notify:request:0", Attach(cb)}));
  EXPECT_EQ(TimeoutOf("approval:wait-0"), 3600);
  EXPECT_EQ(backend.execution_arn(), sdk::MemoryCheckpointClient::kDefaultArn);
  EXPECT_EQ(backend.spec().title, "Deploy");
  EXPECT_NE(backend.request_key().find(sdk::MemoryCheckpointClient::kDefaultArn),
            std::string::npos);

  // Re-invoked while still waiting: nothing is sent again.
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  EXPECT_EQ(backend.calls().size(), 3u);

  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved,
                                     Decision{"alice", "approve", "ok", 1000, "api"})
                  .ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  Json result = Parse(out.result);
  EXPECT_EQ(result["status"], "approved");
  EXPECT_EQ(result["approval_id"], "apr-1");
  EXPECT_EQ(result["decisions"][0]["approver"], "alice");
  EXPECT_EQ(backend.calls(), (Calls{"register", "notify:request:0", Attach(cb)}));
}

TEST_F(HelperTest, RejectedIsAResultNotAFailure) {
  auto handler = HandlerFor(Spec(600));
  h.Start(handler);
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kRejected,
                                     Decision{"bob", "reject", "no", 1000, "link"})
                  .ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "rejected");
  EXPECT_EQ(Parse(out.result)["decisions"][0]["comment"], "no");
}

TEST_F(HelperTest, CancelledIsAResult) {
  auto handler = HandlerFor(Spec(600));
  h.Start(handler);
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kCancelled).ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "cancelled");
}

TEST_F(HelperTest, UsesTheApprovalIdItWasGiven) {
  auto handler = HandlerFor(Spec(600), "apr-from-api");
  h.Start(handler);
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved).ok());
  auto out = h.Next(handler);
  EXPECT_EQ(Parse(out.result)["approval_id"], "apr-from-api");
}

TEST_F(HelperTest, ExpiresAfterRemindersAndEscalationInOrder) {
  // Offsets: 1200 reminder 1, 1800 escalation, 2400 reminder 2, 3600 expiry.
  auto handler = HandlerFor(Spec(3600, 1200, 1800));
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  std::vector<std::string> callbacks{backend.callback_id()};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(h.client.TimeOutCallback(callbacks.back(), "Callback.Timeout").ok()) << i;
    auto out = h.Next(handler);
    if (i < 3) {
      ASSERT_EQ(out.status, InvocationStatus::kPending) << i;
      ASSERT_NE(backend.callback_id(), callbacks.back());
      callbacks.push_back(backend.callback_id());
    } else {
      ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
      EXPECT_EQ(Parse(out.result)["status"], "expired");
    }
  }
  EXPECT_EQ(backend.calls(),
            (Calls{"register", "notify:request:0", Attach(callbacks[0]), "notify:reminder:1",
                   Attach(callbacks[1]), "escalate", "notify:escalation:0", Attach(callbacks[2]),
                   "notify:reminder:2", Attach(callbacks[3]), "expire"}));
  EXPECT_EQ(TimeoutOf("approval:wait-0"), 1200);
  EXPECT_EQ(TimeoutOf("approval:wait-1"), 600);
  EXPECT_EQ(TimeoutOf("approval:wait-2"), 600);
  EXPECT_EQ(TimeoutOf("approval:wait-3"), 1200);
  for (const char* name :
       {"approval:register", "approval:notify", "approval:attach-0", "approval:remind-0",
        "approval:escalate", "approval:remind-2", "approval:attach-3", "approval:expire"}) {
    EXPECT_TRUE(h.client.FindByName(name).has_value()) << name;
  }
}

TEST_F(HelperTest, ReminderAndEscalationAtTheSameOffset) {
  auto handler = HandlerFor(Spec(900, 300, 600));
  h.Start(handler);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(h.client.TimeOutCallback(backend.callback_id(), "Callback.Timeout").ok());
    h.Next(handler);
  }
  auto calls = backend.calls();
  Calls kinds;
  for (const auto& c : calls) {
    if (c.rfind("attach:", 0) != 0) kinds.push_back(c);
  }
  EXPECT_EQ(kinds, (Calls{"register", "notify:request:0", "notify:reminder:1", "escalate",
                          "notify:escalation:0", "notify:reminder:2", "expire"}));
  EXPECT_EQ(TimeoutOf("approval:wait-0"), 300);
  EXPECT_EQ(TimeoutOf("approval:wait-1"), 300);
  EXPECT_EQ(TimeoutOf("approval:wait-2"), 300);
}

TEST_F(HelperTest, OutcomeReachedWhileNoCallbackWasAttached) {
  auto handler = HandlerFor(Spec(3600, 1200));
  h.Start(handler);
  std::string first = backend.callback_id();
  ASSERT_TRUE(h.client.TimeOutCallback(first, "Callback.Timeout").ok());
  // Decided between the two segments: the service could not complete any callback.
  backend.Decide(ApprovalStatus::kApproved, Decision{"alice", "approve", "", 5, "ui"});
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "approved");
  auto calls = backend.calls();
  ASSERT_EQ(calls.size(), 5u);
  EXPECT_EQ(calls[3], "notify:reminder:1");
  EXPECT_EQ(calls[4].rfind("attach:", 0), 0u);
  EXPECT_NE(calls[4], Attach(first));
  EXPECT_FALSE(h.client.FindByName("approval:expire").has_value());
}

TEST_F(HelperTest, ForeignCallbackFailureWaitsAgainInTheSameSegment) {
  auto handler = HandlerFor(Spec(600));
  h.Start(handler);
  std::string first = backend.callback_id();
  ASSERT_TRUE(h.client.FailCallback(first, {"Oops", "someone else", {}, {}}).ok());
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  std::string second = backend.callback_id();
  EXPECT_NE(second, first);
  EXPECT_TRUE(h.client.FindByName("approval:rewait-0.1").has_value());
  int64_t t = TimeoutOf("approval:wait-0.1");
  EXPECT_GE(t, 1);
  EXPECT_LE(t, 600);
  // A success payload that is not this approval's outcome is ignored the same way.
  ASSERT_TRUE(h.client.SucceedCallback(second, "{\"hello\":1}").ok());
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  std::string third = backend.callback_id();
  EXPECT_NE(third, second);
  ASSERT_TRUE(h.client.TimeOutCallback(third, "Callback.Timeout").ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "expired");
  EXPECT_EQ(backend.calls(), (Calls{"register", "notify:request:0", Attach(first), Attach(second),
                                    Attach(third), "expire"}));
}

TEST_F(HelperTest, TransientBackendErrorsAreRetriedBySteps) {
  auto handler = HandlerFor(Spec(600));
  backend.FailNext(Unavailable("database is busy"));  // the first Register
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  EXPECT_EQ(backend.calls(), (Calls{"register"}));
  EXPECT_EQ(h.client.FireTimers(true), 1);
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  EXPECT_EQ(backend.calls(),
            (Calls{"register", "register", "notify:request:0", Attach(backend.callback_id())}));
}

TEST_F(HelperTest, InvalidRegistrationFailsWithoutRetry) {
  auto handler = HandlerFor(Spec(600));
  backend.FailNext(InvalidArgument("unknown approver bob"));
  auto out = h.Start(handler);
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_type, "Approvals.InvalidArgument");
  EXPECT_EQ(out.error->error_message, "unknown approver bob");
  EXPECT_EQ(backend.calls(), (Calls{"register"}));
}

TEST_F(HelperTest, InvalidSpecFailsBeforeAnyBackendCall) {
  auto out = h.Start(HandlerFor(Spec(0)));
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message,
            "invalid approval spec: timeout_seconds must be greater than 0");
  EXPECT_TRUE(backend.calls().empty());
}

TEST_F(HelperTest, NotificationThatKeepsFailingDoesNotEndTheApproval) {
  auto handler = HandlerFor(Spec(600));
  backend.FailNext(Status::Ok());                                          // Register succeeds...
  for (int i = 0; i < 6; ++i) backend.FailNext(Unavailable("smtp down"));  // ...every Notify not
  auto out = h.Start(handler);
  while (out.status == InvocationStatus::kPending && backend.callback_id().empty() &&
         h.invocations < 20) {
    ASSERT_EQ(h.client.FireTimers(true), 1);
    out = h.Next(handler);
  }
  ASSERT_EQ(out.status, InvocationStatus::kPending);
  Calls expected{"register"};
  for (int i = 0; i < 6; ++i) expected.push_back("notify:request:0");  // default: 6 attempts
  expected.push_back(Attach(backend.callback_id()));
  EXPECT_EQ(backend.calls(), expected);
  bool warned = false;
  for (const auto& line : h.logs) {
    if (line.find("approval notification failed for good") != std::string::npos) warned = true;
  }
  EXPECT_TRUE(warned);
  // The approval still completes normally.
  ASSERT_TRUE(testing::DecideAndWake(backend, h.client, ApprovalStatus::kApproved).ok());
  EXPECT_EQ(Parse(h.Next(handler).result)["status"], "approved");
}

TEST_F(HelperTest, ReplayOfAFinishedApprovalCallsNothing) {
  auto handler = HandlerFor(Spec(3600, 1200, 1800));
  h.Start(handler);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(h.client.TimeOutCallback(backend.callback_id(), "Callback.Timeout").ok());
    h.Next(handler);
  }
  auto calls = backend.calls();
  ASSERT_EQ(calls.back(), "expire");
  // Runs the handler once more over the checkpointed state (minus operations named `drop`), as a
  // re-delivered invocation on a fresh engine twin.
  auto replay_without = [&](const std::string& drop) {
    sdk::MemoryCheckpointClient replay(&h.clock);
    auto input = replay.Start("{}");
    auto& ops = input.initial_execution_state.operations;
    for (const auto& op : h.client.operations()) {
      if (op.type != model::OperationType::kExecution && op.name != drop) ops.push_back(op);
    }
    auto out = sdk::RunDurableInvocation(handler, input, replay, h.options);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (out.ok()) {
      EXPECT_EQ(out->status, InvocationStatus::kSucceeded);
      EXPECT_EQ(Parse(out->result)["status"], "expired");
    }
    return replay.requests();
  };
  auto requests = replay_without("");
  EXPECT_EQ(backend.calls(), calls);
  // The replay sent no operation updates, only (at most) the execution's own completion.
  for (const auto& r : requests) {
    for (const auto& u : r.updates) EXPECT_EQ(u.type, model::OperationType::kExecution);
  }
  // Control: without the checkpointed expiry the step runs (and calls the backend) again.
  replay_without("approval:expire");
  calls.push_back("expire");
  EXPECT_EQ(backend.calls(), calls);
}

}  // namespace
}  // namespace durable::approvals
