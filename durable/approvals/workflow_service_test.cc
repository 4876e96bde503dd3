// The approval-workflow over the REAL service (SQLite store, identity, links) and the SDK's
// in-memory engine twin, with the service in-process and over HTTP (HttpBackend against the
// routes on a real http::Server): the workflow input the service starts, the callback payload the
// service sends, Attach after an outcome reached between segments, and each path's audit trail.
#include <gtest/gtest.h>

#include "durable/approvals/http_backend.h"
#include "durable/approvals/routes.h"
#include "durable/approvals/server_test_util.h"
#include "durable/approvals/workflow.h"
#include "durable/sdk/test_util.h"

namespace durable::approvals {
namespace {

using model::InvocationStatus;
using sdk::testing::Parse;

// The parameter: true = the workflow reaches the service over HTTP.
class WorkflowServiceTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      http::ServerOptions o;
      o.port = 0;
      o.worker_threads = 4;
      server = std::make_unique<http::Server>(o);
      RegisterApprovalRoutes(*server, *svc.service);
      auto port = server->Start();
      ASSERT_TRUE(port.ok()) << port.status().ToString();
      http_backend = std::make_unique<HttpBackend>("http://127.0.0.1:" + std::to_string(*port),
                                                   "workflow-token");
      handler = MakeApprovalWorkflow(*http_backend);
    } else {
      handler = MakeApprovalWorkflow(*svc.service);
    }
  }
  void TearDown() override {
    if (server) server->Stop();
  }

  // Creates an approval through the API; returns its id and starts the workflow with the input
  // the service asked the Lambda API to start.
  std::string CreateAndStart(Json spec) {
    CreateRequest req;
    req.spec = std::move(spec);
    auto r = svc.service->Create(svc.user("carol"), req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "";
    EXPECT_EQ(svc.lambda.starts.size(), 1u);
    EXPECT_EQ(svc.lambda.starts[0].function, kWorkflowFunctionName);
    auto out = engine.Start(handler, svc.lambda.starts[0].payload);
    EXPECT_EQ(out.status, InvocationStatus::kPending);
    return r->approval.record.id;
  }
  ApprovalRecord Record(const std::string& id) {
    auto v = svc.service->Load(id, true);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->record : ApprovalRecord{};
  }
  std::vector<std::string> AuditKinds(const std::string& id) {
    std::vector<std::string> kinds;
    auto v = svc.service->Load(id, true);
    if (v.ok()) {
      for (const auto& a : v->audit) kinds.push_back(a.kind);
    }
    return kinds;
  }
  // Delivers the service's callback completions to the engine twin (as the Lambda API would).
  void ForwardCompletions() {
    for (const auto& c : svc.lambda.Completions()) {
      if (forwarded_.insert(c.callback_id + c.result).second) {
        (void)engine.client.SucceedCallback(c.callback_id, c.result);
      }
    }
  }

  testing::Harness svc;
  sdk::testing::Harness engine;
  std::unique_ptr<http::Server> server;
  std::unique_ptr<HttpBackend> http_backend;
  sdk::Handler handler;
  std::set<std::string> forwarded_;
};

TEST_P(WorkflowServiceTest, ApprovedByQuorumWakesTheWorkflow) {
  std::string id = CreateAndStart({{"title", "Deploy"},
                                   {"approvers", {"alice", "bob"}},
                                   {"quorum", 2},
                                   {"timeout_seconds", 600}});
  ApprovalRecord rec = Record(id);
  ASSERT_FALSE(rec.callback_id.empty());  // attached
  EXPECT_EQ(svc.notifier.Count(), 2u);    // the request to alice and bob

  ASSERT_TRUE(svc.service->Decide("alice", id, "approve", "fine", "api").ok());
  ForwardCompletions();
  ASSERT_EQ(engine.Next(handler).status, InvocationStatus::kPending);  // one approval of two
  ASSERT_TRUE(svc.service->Decide("bob", id, "approve", "", "ui").ok());
  ASSERT_EQ(svc.lambda.Completions().size(), 1u);
  EXPECT_EQ(svc.lambda.Completions()[0].callback_id, rec.callback_id);
  ForwardCompletions();
  auto out = engine.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  Json result = Parse(out.result);
  EXPECT_EQ(result["approval_id"], id);
  EXPECT_EQ(result["status"], "approved");
  EXPECT_EQ(result["decisions"].size(), 2u);
  auto kinds = AuditKinds(id);
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds.front(), "requested");
  EXPECT_EQ(kinds.back(), "completed");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "approved"), kinds.end());
  // The requester heard about the outcome.
  std::lock_guard lock(svc.notifier.mu);
  EXPECT_EQ(svc.notifier.delivered.back().kind, "outcome");
  EXPECT_EQ(svc.notifier.delivered.back().recipient.user_id, "carol");
}

TEST_P(WorkflowServiceTest, ExpiresAfterRemindersAndEscalation) {
  std::string id =
      CreateAndStart({{"title", "Pay"},
                      {"approvers", {"alice"}},
                      {"timeout_seconds", 3600},
                      {"reminder_interval_seconds", 1200},
                      {"escalation", {{"after_seconds", 1800}, {"approvers", {"dave"}}}}});
  model::InvocationOutput out;
  for (int i = 0; i < 4; ++i) {
    std::string cb = Record(id).callback_id;
    ASSERT_TRUE(engine.client.TimeOutCallback(cb, "Callback.Timeout").ok()) << i;
    svc.clock.AdvanceMs(i == 0 ? 1'200'000 : 600'000);
    out = engine.Next(handler);
  }
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "expired");
  EXPECT_EQ(Record(id).status, ApprovalStatus::kExpired);
  auto kinds = AuditKinds(id);
  std::vector<std::string> milestones;
  for (const auto& k : kinds) {
    if (k != "notified") milestones.push_back(k);
  }
  EXPECT_EQ(milestones, (std::vector<std::string>{"requested", "reminded", "escalated", "reminded",
                                                  "expired", "completed"}));
  EXPECT_EQ(Record(id).escalation_added, (std::vector<std::string>{"dave"}));
}

TEST_P(WorkflowServiceTest, RejectionBetweenSegmentsIsReadByAttach) {
  std::string id = CreateAndStart({{"title", "Pay"},
                                   {"approvers", {"alice", "bob"}},
                                   {"timeout_seconds", 3600},
                                   {"reminder_interval_seconds", 1200}});
  std::string first = Record(id).callback_id;
  ASSERT_TRUE(engine.client.TimeOutCallback(first, "Callback.Timeout").ok());
  // Decided while the workflow has not attached its next callback: nothing can be woken.
  ASSERT_TRUE(svc.service->Decide("bob", id, "reject", "too expensive", "api").ok());
  auto out = engine.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  Json result = Parse(out.result);
  EXPECT_EQ(result["status"], "rejected");
  EXPECT_EQ(result["decisions"][0]["comment"], "too expensive");
  EXPECT_EQ(AuditKinds(id).back(), "completed");
}

TEST_P(WorkflowServiceTest, CancelledByTheRequester) {
  std::string id = CreateAndStart({{"title", "Pay"}, {"approvers", {"alice"}}});
  ASSERT_TRUE(svc.service->Cancel(svc.user("carol"), id, "not needed").ok());
  ForwardCompletions();
  auto out = engine.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Parse(out.result)["status"], "cancelled");
  EXPECT_EQ(AuditKinds(id).back(), "completed");
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkflowServiceTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Http" : "InProcess"; });

}  // namespace
}  // namespace durable::approvals
