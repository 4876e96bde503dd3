// The approvals state machine: quorum, veto, first-wins under concurrency, the 403/409/410 rules,
// cancellation, expiry, notification dedupe and delivering the outcome through Attach.
#include "durable/approvals/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "durable/approvals/server_test_util.h"
#include "durable/approvals/workflow.h"
#include "durable/base/macros.h"

namespace durable::approvals {
namespace {

using testing::FakeLambda;
using testing::Harness;

StatusCode CodeOf(const Result<ApprovalView>& r) { return r.status().code(); }

TEST(ServiceTest, QuorumTwoOfThreeCompletesTheAttachedCallback) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob", "dave"}, 2);
  ASSERT_TRUE(h.service->Attach(id, "cb-1").ok());
  auto first = h.service->Decide("alice", id, "approve", "fine", "api");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->record.status, ApprovalStatus::kPending);
  EXPECT_TRUE(h.lambda.Completions().empty());
  auto second = h.service->Decide("bob", id, "approve", "", "ui");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->record.status, ApprovalStatus::kApproved);
  ASSERT_TRUE(second->record.decided_at_ms.has_value());

  auto completions = h.lambda.Completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(completions[0].callback_id, "cb-1");
  auto result = ResultFromJson(Json::parse(completions[0].result));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->approval_id, id);
  EXPECT_EQ(result->status, ApprovalStatus::kApproved);
  ASSERT_EQ(result->decisions.size(), 2u);
  EXPECT_EQ(result->decisions[1].via, "ui");

  // The third approver is too late.
  EXPECT_EQ(CodeOf(h.service->Decide("dave", id, "reject", "", "api")), StatusCode::kAlreadyExists);
  auto view = h.service->Get(h.user("admin"), id);
  ASSERT_TRUE(view.ok());
  std::vector<std::string> kinds;
  for (const auto& e : view->audit) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"requested", "decided", "decided", "approved"}));
  Json j = ToApiJson(*view, true);
  EXPECT_EQ(j["approvals_count"], 2);
  EXPECT_EQ(j["status"], "approved");
  EXPECT_EQ(j["audit"].size(), 4u);
  EXPECT_TRUE(j["decided_at"].is_string());
}

TEST(ServiceTest, OneRejectionVetoes) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob", "dave"}, 2);
  ASSERT_TRUE(h.service->Decide("alice", id, "approve", "", "api").ok());
  auto veto = h.service->Decide("bob", id, "reject", "too risky", "api");
  ASSERT_TRUE(veto.ok());
  EXPECT_EQ(veto->record.status, ApprovalStatus::kRejected);
  EXPECT_EQ(CodeOf(h.service->Decide("dave", id, "approve", "", "api")),
            StatusCode::kAlreadyExists);
}

TEST(ServiceTest, FirstDecisionWinsUnderConcurrency) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob", "dave"}, 1);
  ASSERT_TRUE(h.service->Attach(id, "cb").ok());
  const std::vector<std::string> approvers = {"alice", "bob", "dave"};
  constexpr int kThreadsPerApprover = 8;
  std::atomic<int> ok{0}, conflict{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreadsPerApprover; ++i) {
    for (size_t a = 0; a < approvers.size(); ++a) {
      threads.emplace_back([&, i, a] {
        auto r = h.service->Decide(approvers[a], id, (i + a) % 2 ? "approve" : "reject", "", "api");
        if (r.ok()) {
          ++ok;
        } else if (r.status().code() == StatusCode::kAlreadyExists) {
          ++conflict;
        } else {
          ++other;
          ADD_FAILURE() << r.status().ToString();
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), kThreadsPerApprover * 3 - 1);
  EXPECT_EQ(other.load(), 0);
  auto view = h.service->Get(h.user("admin"), id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->decisions.size(), 1u);
  EXPECT_NE(view->record.status, ApprovalStatus::kPending);
  int outcomes = 0;
  for (const auto& e : view->audit) outcomes += (e.kind == "approved" || e.kind == "rejected");
  EXPECT_EQ(outcomes, 1);
  EXPECT_EQ(h.lambda.Completions().size(), 1u);
}

TEST(ServiceTest, FirstDecisionWinsAcrossTwoConnectionsToOneFile) {
  // Two services on the same SQLite file, like two server processes: the write transaction
  // (BEGIN IMMEDIATE + UPDATE ... WHERE status='pending') decides, not the in-process mutex.
  Harness h;
  auto second_store = Store::Open(h.dir.File("durable.db"));
  ASSERT_TRUE(second_store.ok());
  auto second_links = Links::Open(second_store->get(), &h.clock);
  ASSERT_TRUE(second_links.ok());
  Service second(second_store->get(), &h.identity, second_links->get(), {}, &h.lambda, &h.clock,
                 ServiceOptions{});
  for (int round = 0; round < 5; ++round) {
    std::string id = h.Create("carol", {"alice", "bob", "dave"}, 1);
    std::atomic<int> ok{0}, conflict{0};
    std::vector<std::thread> threads;
    const std::vector<std::string> approvers = {"alice", "bob", "dave"};
    for (int i = 0; i < 12; ++i) {
      threads.emplace_back([&, i] {
        Service& s = i % 2 ? second : *h.service;
        auto r = s.Decide(approvers[i % 3], id, "approve", "", "api");
        if (r.ok()) {
          ++ok;
        } else if (r.status().code() == StatusCode::kAlreadyExists) {
          ++conflict;
        } else {
          ADD_FAILURE() << r.status().ToString();
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(conflict.load(), 11) << "round " << round;
    EXPECT_EQ(second.Load(id, false)->decisions.size(), 1u);
  }
}

TEST(ServiceTest, RequesterAndNonApproversAreForbidden) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob"}, 1);
  EXPECT_EQ(CodeOf(h.service->Decide("carol", id, "approve", "", "api")),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(h.service->Decide("dave", id, "approve", "", "api")),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(h.service->Decide("admin", id, "approve", "", "api")),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(h.service->Decide("alice", "no-such-id", "approve", "", "api")),
            StatusCode::kNotFound);
  EXPECT_EQ(CodeOf(h.service->Decide("alice", id, "maybe", "", "api")),
            StatusCode::kInvalidArgument);
  for (const char* bad : {"\xFF", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "ok\xF4\x90\x80\x80"}) {
    EXPECT_EQ(CodeOf(h.service->Decide("alice", id, "approve", bad, "api")),
              StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ToHttpError(Forbidden("x")).status, 403);
  // A second decision by the same approver is a conflict.
  std::string id2 = h.Create("carol", {"alice", "bob"}, 2);
  ASSERT_TRUE(h.service->Decide("alice", id2, "approve", "", "api").ok());
  EXPECT_EQ(CodeOf(h.service->Decide("alice", id2, "approve", "", "api")),
            StatusCode::kAlreadyExists);
  // Only requesters and admins create; the requester cannot be an approver.
  CreateRequest req;
  req.spec = {{"title", "x"}, {"approvers", {"bob"}}};
  EXPECT_EQ(h.service->Create(h.user("alice"), req).status().code(),
            StatusCode::kFailedPrecondition);
  req.spec = {{"title", "x"}, {"approvers", {"carol"}}};
  EXPECT_EQ(h.service->Create(h.user("carol"), req).status().code(), StatusCode::kInvalidArgument);
  req.spec = {{"title", "x"}, {"approvers", {"nobody"}}};
  EXPECT_EQ(h.service->Create(h.user("carol"), req).status().code(), StatusCode::kInvalidArgument);
  req.spec = {{"title", "x"}, {"approvers", {"bob"}}, {"requester", "erin"}};
  EXPECT_EQ(h.service->Create(h.user("carol"), req).status().code(),
            StatusCode::kFailedPrecondition);
  auto on_behalf = h.service->Create(h.user("admin"), req);
  ASSERT_TRUE(on_behalf.ok()) << on_behalf.status().ToString();
  EXPECT_EQ(on_behalf->approval.record.requester, "erin");
}

TEST(ServiceTest, GoneAfterExpiry) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob"}, 1, /*timeout_seconds=*/60);
  ASSERT_TRUE(h.service->Attach(id, "cb").ok());
  h.clock.AdvanceMs(60'000);
  EXPECT_EQ(CodeOf(h.service->Decide("alice", id, "approve", "", "api")),
            StatusCode::kCallbackClosed);
  EXPECT_EQ(ToHttpError(Gone("x")).status, 410);
  auto view = h.service->Get(h.user("carol"), id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->record.status, ApprovalStatus::kExpired);
  EXPECT_TRUE(view->decisions.empty());
  // The waiting workflow is woken with the expired result, once.
  auto completions = h.lambda.Completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(ResultFromJson(Json::parse(completions[0].result))->status, ApprovalStatus::kExpired);
  EXPECT_EQ(CodeOf(h.service->Decide("bob", id, "approve", "", "api")),
            StatusCode::kCallbackClosed);
  EXPECT_EQ(h.lambda.Completions().size(), 1u);
  // Expire from the workflow is idempotent and returns the outcome.
  auto expired = h.service->Expire(id);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, ApprovalStatus::kExpired);
}

TEST(ServiceTest, ExpireKeepsAnEarlierOutcome) {
  Harness h;
  std::string id = h.Create("carol", {"alice"}, 1);
  ASSERT_TRUE(h.service->Decide("alice", id, "approve", "", "api").ok());
  auto r = h.service->Expire(id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, ApprovalStatus::kApproved);
  std::string pending = h.Create("carol", {"alice"}, 1);
  EXPECT_EQ(h.service->Expire(pending)->status, ApprovalStatus::kExpired);
  EXPECT_EQ(CodeOf(h.service->Decide("alice", pending, "approve", "", "api")),
            StatusCode::kCallbackClosed);
}

TEST(ServiceTest, CancelRules) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob"}, 2);
  ASSERT_TRUE(h.service->Attach(id, "cb").ok());
  EXPECT_EQ(CodeOf(h.service->Cancel(h.user("alice"), id, "")), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(h.service->Cancel(h.user("erin"), id, "")), StatusCode::kFailedPrecondition);
  auto cancelled = h.service->Cancel(h.user("carol"), id, "not needed");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().ToString();
  EXPECT_EQ(cancelled->record.status, ApprovalStatus::kCancelled);
  ASSERT_EQ(h.lambda.Completions().size(), 1u);
  EXPECT_EQ(ResultFromJson(Json::parse(h.lambda.Completions()[0].result))->status,
            ApprovalStatus::kCancelled);
  EXPECT_EQ(CodeOf(h.service->Cancel(h.user("carol"), id, "")), StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeOf(h.service->Decide("alice", id, "approve", "", "api")),
            StatusCode::kAlreadyExists);
  // An admin may cancel anyone's; nobody may cancel a decided one.
  std::string other = h.Create("erin", {"alice"}, 1);
  EXPECT_TRUE(h.service->Cancel(h.user("admin"), other, "").ok());
  std::string decided = h.Create("carol", {"alice"}, 1);
  ASSERT_TRUE(h.service->Decide("alice", decided, "reject", "", "api").ok());
  EXPECT_EQ(CodeOf(h.service->Cancel(h.user("carol"), decided, "")), StatusCode::kAlreadyExists);
  auto view = h.service->Get(h.user("carol"), id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->audit.back().kind, "cancelled");
  EXPECT_EQ(view->audit.back().actor, "carol");
  EXPECT_EQ(view->audit.back().detail["comment"], "not needed");
}

TEST(ServiceTest, OutcomeReachedWithoutCallbackIsDeliveredByAttach) {
  Harness h;
  std::string id = h.Create("carol", {"alice"}, 1);
  // No callback attached yet (the workflow is between two waiting segments).
  ASSERT_TRUE(h.service->Decide("alice", id, "approve", "ok", "api").ok());
  EXPECT_TRUE(h.lambda.Completions().empty());
  auto attached = h.service->Attach(id, "cb-late");
  ASSERT_TRUE(attached.ok());
  EXPECT_EQ(attached->status, ApprovalStatus::kApproved);
  ASSERT_EQ(attached->decisions.size(), 1u);
  EXPECT_EQ(attached->decisions[0].comment, "ok");

  // A callback that is gone (timed out) when the outcome is reached: Attach still tells.
  std::string id2 = h.Create("carol", {"alice"}, 1);
  ASSERT_TRUE(h.service->Attach(id2, "cb-old").ok());
  h.lambda.fail_callbacks = true;
  ASSERT_TRUE(h.service->Decide("alice", id2, "reject", "", "api").ok());
  EXPECT_EQ(h.service->Attach(id2, "cb-new")->status, ApprovalStatus::kRejected);
}

TEST(ServiceTest, NotifyDeliversOncePerKeyAndRecordsEveryAttempt) {
  testing::CountingNotifier flaky("webhook");
  flaky.failures_left = 1;
  Harness h({&flaky});
  std::string id = h.Create("carol", {"alice", "bob"}, 1);

  Status first = h.service->Notify(id, NotificationKind::kRequest, 0);
  EXPECT_EQ(first.code(), StatusCode::kUnavailable) << first.ToString();
  EXPECT_EQ(h.notifier.Count(), 2u);
  EXPECT_EQ(flaky.Count(), 2u);
  // The retry delivers only what failed.
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kRequest, 0).ok());
  EXPECT_EQ(h.notifier.Count(), 2u);
  EXPECT_EQ(flaky.Count(), 3u);
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kRequest, 0).ok());
  EXPECT_EQ(h.notifier.Count(), 2u);
  EXPECT_EQ(flaky.Count(), 3u);

  // Approvers get a signed action link; keys name approval/kind/sequence/recipient.
  const Notification& n = h.notifier.delivered[0];
  EXPECT_EQ(n.key, id + "/request/0/" + n.recipient.user_id);
  EXPECT_EQ(n.action_url.rfind("http://approvals.test/approvals/links/", 0), 0u) << n.action_url;
  EXPECT_NE(n.text.find(n.action_url), std::string::npos);
  EXPECT_EQ(n.recipient.email, n.recipient.user_id + "@example.com");

  // Reminders are per sequence; the outcome goes to the requester without a link.
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 1).ok());
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 1).ok());
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 2).ok());
  EXPECT_EQ(h.notifier.Count(), 6u);
  ASSERT_TRUE(h.service->Decide("alice", id, "approve", "", "api").ok());
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kOutcome, 0).ok());
  ASSERT_EQ(h.notifier.Count(), 7u);
  EXPECT_EQ(h.notifier.delivered.back().recipient.user_id, "carol");
  EXPECT_TRUE(h.notifier.delivered.back().action_url.empty());
  // Nothing to ask once decided.
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 3).ok());
  EXPECT_EQ(h.notifier.Count(), 7u);

  auto view = h.service->Get(h.user("admin"), id);
  ASSERT_TRUE(view.ok());
  int notified = 0, failed = 0, reminded = 0;
  for (const auto& e : view->audit) {
    notified += e.kind == "notified";
    failed += e.kind == "notification_failed";
    reminded += e.kind == "reminded";
  }
  // 2 channels: request 2 users x 2, reminders 1 and 2 x 2 users x 2, outcome 1 user x 2.
  EXPECT_EQ(notified, 4 + 8 + 2);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(reminded, 2);
}

// Counts deliveries per key; each one takes a while, so that concurrent callers overlap.
class SlowCountingNotifier final : public Notifier {
 public:
  std::string channel() const override { return "slow"; }
  Status Deliver(const Notification& n) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lock(mu_);
    ++per_key_[n.key];
    return Status::Ok();
  }
  std::map<std::string, int> PerKey() {
    std::lock_guard lock(mu_);
    return per_key_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> per_key_;
};

TEST(ServiceTest, ConcurrentNotifyCallsDeliverEachKeyOnce) {
  SlowCountingNotifier slow;
  Harness h({&slow});
  std::string id = h.Create("carol", {"alice", "bob"}, 1);
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, in_progress{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Status st = h.service->Notify(id, NotificationKind::kRequest, 0);
      if (st.ok()) {
        ++ok;
      } else if (st.code() == StatusCode::kUnavailable &&
                 st.message().find("in progress") != std::string::npos) {
        ++in_progress;
      } else {
        ADD_FAILURE() << st.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::map<std::string, int> once = {{id + "/request/0/alice", 1},
                                           {id + "/request/0/bob", 1}};
  EXPECT_EQ(slow.PerKey(), once);
  EXPECT_EQ(h.notifier.Count(), 2u);
  // Each caller either delivered everything it claimed or met a key claimed by another.
  EXPECT_EQ(ok.load() + in_progress.load(), kThreads);
  // Once all are done, a retry learns that everything was delivered and sends nothing.
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kRequest, 0).ok());
  EXPECT_EQ(slow.PerKey(), once);
  EXPECT_EQ(h.notifier.Count(), 2u);
  auto view = h.service->Get(h.user("admin"), id);
  ASSERT_TRUE(view.ok());
  int notified = 0;
  for (const auto& e : view->audit) notified += e.kind == "notified";
  EXPECT_EQ(notified, 4);  // 2 approvers x 2 channels
  ASSERT_TRUE(h.store
                  ->Read([&](StoreTx& tx) -> Status {
                    for (const auto& [key, n] : once) {
                      DURABLE_ASSIGN_OR_RETURN(int64_t attempts,
                                               tx.DeliveryAttempts(key + "/slow"));
                      EXPECT_EQ(attempts, 1) << key;
                    }
                    return Status::Ok();
                  })
                  .ok());
}

TEST(ServiceTest, AClaimLeftByACrashExpiresOrIsEndedByRecover) {
  Harness h;
  std::string id = h.Create("carol", {"alice"}, 1);
  const std::string key = id + "/request/0/alice/test";
  // A caller claimed the key and died before recording its delivery.
  ASSERT_TRUE(h.store
                  ->Write([&](StoreTx& tx) -> Status {
                    int64_t now = h.clock.NowMs();
                    DURABLE_ASSIGN_OR_RETURN(DeliveryClaim c,
                                             tx.ClaimDelivery(key, id, "request", "alice", "test",
                                                              "gone-process", now, now + 360'000));
                    EXPECT_EQ(c, DeliveryClaim::kClaimed);
                    return Status::Ok();
                  })
                  .ok());
  Status busy = h.service->Notify(id, NotificationKind::kRequest, 0);
  EXPECT_EQ(busy.code(), StatusCode::kUnavailable) << busy.ToString();
  EXPECT_NE(busy.message().find("in progress"), std::string::npos) << busy.message();
  EXPECT_EQ(h.notifier.Count(), 0u);
  h.clock.AdvanceMs(360'001);
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kRequest, 0).ok());
  EXPECT_EQ(h.notifier.Count(), 1u);
  // A restarted server does not wait for the claim to expire: Recover ends the claims of
  // other (earlier) owners.
  const std::string reminder_key = id + "/reminder/1/alice/test";
  ASSERT_TRUE(h.store
                  ->Write([&](StoreTx& tx) -> Status {
                    int64_t now = h.clock.NowMs();
                    DURABLE_ASSIGN_OR_RETURN(
                        DeliveryClaim c,
                        tx.ClaimDelivery(reminder_key, id, "reminder", "alice", "test",
                                         "gone-process", now, now + 360'000));
                    EXPECT_EQ(c, DeliveryClaim::kClaimed);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(h.service->Notify(id, NotificationKind::kReminder, 1).code(), StatusCode::kUnavailable);
  EXPECT_EQ(h.notifier.Count(), 1u);
  ASSERT_TRUE(h.service->Recover().ok());
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 1).ok());
  EXPECT_EQ(h.notifier.Count(), 2u);
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kReminder, 1).ok());
  EXPECT_EQ(h.notifier.Count(), 2u);

  ASSERT_TRUE(h.store
                  ->Read([&](StoreTx& tx) -> Status {
                    DURABLE_ASSIGN_OR_RETURN(std::optional<std::string> status,
                                             tx.DeliveryStatus(key));
                    EXPECT_EQ(status, "sent");
                    DURABLE_ASSIGN_OR_RETURN(int64_t attempts, tx.DeliveryAttempts(key));
                    EXPECT_EQ(attempts, 1);
                    return Status::Ok();
                  })
                  .ok());
}

TEST(ServiceTest, EscalationAddsApproversWhoMayThenDecide) {
  Harness h;
  CreateRequest req;
  req.spec = {{"title", "x"},
              {"approvers", {"alice"}},
              {"timeout_seconds", 600},
              {"escalation", {{"after_seconds", 60}, {"approvers", {"bob"}}}}};
  auto created = h.service->Create(h.user("carol"), req);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string id = created->approval.record.id;
  EXPECT_EQ(CodeOf(h.service->Decide("bob", id, "approve", "", "api")),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(h.service->Escalate(id).ok());
  ASSERT_TRUE(h.service->Escalate(id).ok());
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kEscalation, 0).ok());
  EXPECT_EQ(h.notifier.Count(), 1u);
  EXPECT_EQ(h.notifier.delivered[0].recipient.user_id, "bob");
  auto decided = h.service->Decide("bob", id, "approve", "", "link");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  EXPECT_EQ(decided->record.status, ApprovalStatus::kApproved);
  EXPECT_EQ(decided->record.approvers, (std::vector<std::string>{"alice", "bob"}));
  auto view = h.service->Get(h.user("bob"), id);
  ASSERT_TRUE(view.ok());
  int escalated = 0;
  for (const auto& e : view->audit) escalated += e.kind == "escalated";
  EXPECT_EQ(escalated, 1);
}

TEST(ServiceTest, CreateIsIdempotentByRequestIdAndStartsTheWorkflow) {
  Harness h;
  CreateRequest req;
  req.spec = {{"title", "x"}, {"approvers", {"alice"}}};
  req.request_id = "deploy-42";
  auto a = h.service->Create(h.user("carol"), req);
  auto b = h.service->Create(h.user("carol"), req);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->approval.record.id, b->approval.record.id);
  ASSERT_EQ(h.lambda.starts.size(), 1u);
  EXPECT_EQ(h.lambda.starts[0].function, kWorkflowFunctionName);
  EXPECT_EQ(h.lambda.starts[0].name, "approval-" + a->approval.record.id);
  Json input = Json::parse(h.lambda.starts[0].payload);
  EXPECT_EQ(input["approval_id"], a->approval.record.id);
  EXPECT_EQ(input["spec"]["requester"], "carol");
  EXPECT_FALSE(a->approval.record.execution_arn.empty());
  EXPECT_EQ(ToApiJson(a->approval, false)["request_id"], "deploy-42");
  // The workflow's own Register with the approval id finds the same row.
  RegisterRequest reg;
  reg.approval_id = a->approval.record.id;
  reg.spec = a->approval.record.spec;
  auto r = h.service->Register(reg);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->approval_id, a->approval.record.id);
  EXPECT_EQ(r->expires_at_ms, r->created_at_ms + 24 * 3600 * 1000);
}

TEST(ServiceTest, RequestedAuditNamesWhoDidItAndTheRequester) {
  Harness h;
  CreateRequest own;
  own.spec = {{"title", "x"}, {"approvers", {"alice"}}};
  auto a = h.service->Create(h.user("carol"), own);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  CreateRequest on_behalf;
  on_behalf.spec = {{"title", "y"}, {"approvers", {"alice"}}, {"requester", "carol"}};
  auto b = h.service->Create(h.user("admin"), on_behalf);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->approval.record.requester, "carol");

  auto first = [&](const std::string& id) {
    auto view = h.service->Get(h.user("admin"), id);
    EXPECT_TRUE(view.ok());
    EXPECT_FALSE(view->audit.empty());
    return view->audit.at(0);
  };
  AuditEntry by_carol = first(a->approval.record.id);
  EXPECT_EQ(by_carol.kind, "requested");
  EXPECT_EQ(by_carol.actor, "carol");
  EXPECT_EQ(by_carol.detail, (Json{{"via", "api"}, {"requester", "carol"}}));
  AuditEntry by_admin = first(b->approval.record.id);
  EXPECT_EQ(by_admin.kind, "requested");
  EXPECT_EQ(by_admin.actor, "admin");  // who did it
  EXPECT_EQ(by_admin.detail, (Json{{"via", "api"}, {"requester", "carol"}}));

  RegisterRequest reg;
  reg.request_key = "wf-key-1";
  reg.spec = a->approval.record.spec;
  auto r = h.service->Register(reg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  AuditEntry by_workflow = first(r->approval_id);
  EXPECT_EQ(by_workflow.actor, "carol");
  EXPECT_EQ(by_workflow.detail, (Json{{"via", "workflow"}, {"requester", "carol"}}));
}

TEST(ServiceTest, WorkflowThatCannotStart) {
  Harness h;
  h.lambda.fail_starts = true;
  CreateRequest req;
  req.spec = {{"title", "x"}, {"approvers", {"alice"}}};
  req.request_id = "retry-me";
  auto failed = h.service->Create(h.user("carol"), req);
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(ToHttpError(failed.status()).status, 503);
  // With a request_id the retry finds the same row and starts its workflow.
  h.lambda.fail_starts = false;
  auto retried = h.service->Create(h.user("carol"), req);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_FALSE(retried->created);
  EXPECT_EQ(retried->approval.record.status, ApprovalStatus::kPending);
  EXPECT_FALSE(retried->approval.record.execution_arn.empty());
  // Without one, the row is closed instead of staying pending forever.
  h.lambda.fail_starts = true;
  req.request_id.reset();
  EXPECT_FALSE(h.service->Create(h.user("carol"), req).ok());
  ListQuery cancelled;
  cancelled.status = "cancelled";
  auto page = h.service->List(h.user("admin"), cancelled);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  // A spec too large for the workflow's Invoke payload is refused up front.
  h.lambda.fail_starts = false;
  req.spec["payload"] = {{"blob", std::string(300 * 1024, 'x')}};
  EXPECT_EQ(h.service->Create(h.user("carol"), req).status().code(), StatusCode::kInvalidArgument);
}

// What a crash between Create's commit and its Invoke leaves: the row (as Create writes it,
// with its `requested` audit entry), pending, with no execution.
void InsertWithoutWorkflow(Harness& h, const std::string& id, const std::string& request_key) {
  auto spec = SpecFromJson(
      Json{{"title", "orphan " + id}, {"requester", "carol"}, {"approvers", {"alice", "bob"}}});
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  ApprovalRecord r;
  r.id = id;
  r.request_key = request_key;
  r.spec = *spec;
  r.requester = "carol";
  r.created_at_ms = h.clock.NowMs();
  r.expires_at_ms = r.created_at_ms + 3600 * 1000;
  r.approvers = r.spec.approvers;
  ASSERT_TRUE(h.store
                  ->Write([&](StoreTx& tx) -> Status {
                    DURABLE_RETURN_IF_ERROR(tx.Insert(r));
                    return tx.Audit(id, r.created_at_ms, "requested", "carol",
                                    {{"via", "api"}, {"requester", "carol"}});
                  })
                  .ok());
}

TEST(ServiceTest, RecoverStartsTheWorkflowOfApprovalsThatHaveNone) {
  Harness h;
  std::string normal = h.Create("carol", {"alice"});  // started by Create
  InsertWithoutWorkflow(h, "orphan-1", "id:orphan-1");
  InsertWithoutWorkflow(h, "orphan-2", "req:carol:deploy-7");
  // Started before, under its name (DurableExecutionAlreadyStarted): recorded, not started again.
  InsertWithoutWorkflow(h, "orphan-3", "id:orphan-3");
  const std::string earlier = FakeLambda::ArnOf(kWorkflowFunctionName, "approval-orphan-3");
  h.lambda.already_started["approval-orphan-3"] = earlier;
  // More than one page of the sweep.
  for (int i = 0; i < 120; ++i) {
    InsertWithoutWorkflow(h, "bulk-" + std::to_string(i), "id:bulk-" + std::to_string(i));
  }
  // Not orphans: a workflow's own row (its key is not an API key) and a closed approval.
  InsertWithoutWorkflow(h, "own-key", "arn:some-execution#op-1");
  InsertWithoutWorkflow(h, "closed", "id:closed");
  ASSERT_TRUE(h.store
                  ->Write([&](StoreTx& tx) -> Status {
                    DURABLE_ASSIGN_OR_RETURN(
                        bool c, tx.Close("closed", ApprovalStatus::kCancelled, h.clock.NowMs()));
                    EXPECT_TRUE(c);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(h.lambda.starts.size(), 1u);

  ASSERT_TRUE(h.service->Recover().ok());
  std::set<std::string> names;
  for (size_t i = 1; i < h.lambda.starts.size(); ++i) {
    EXPECT_EQ(h.lambda.starts[i].function, kWorkflowFunctionName);
    names.insert(h.lambda.starts[i].name);
  }
  EXPECT_EQ(h.lambda.starts.size(), 1u + 2 + 120);
  EXPECT_EQ(names.size(), 2u + 120);
  EXPECT_TRUE(names.count("approval-orphan-1"));
  EXPECT_TRUE(names.count("approval-orphan-2"));
  EXPECT_TRUE(names.count("approval-bulk-119"));
  EXPECT_FALSE(names.count("approval-orphan-3"));
  EXPECT_FALSE(names.count("approval-own-key"));
  EXPECT_FALSE(names.count("approval-closed"));
  EXPECT_FALSE(names.count("approval-" + normal));
  for (const auto& st : h.lambda.starts) {
    if (st.name != "approval-orphan-1") continue;
    Json input = Json::parse(st.payload);
    EXPECT_EQ(input["approval_id"], "orphan-1");
    EXPECT_EQ(input["spec"]["requester"], "carol");
    EXPECT_EQ(input["spec"]["approvers"], (Json{"alice", "bob"}));
  }
  auto arn = [&](const std::string& id) {
    return h.service->Load(id, false)->record.execution_arn;
  };
  EXPECT_EQ(arn("orphan-1"), FakeLambda::ArnOf(kWorkflowFunctionName, "approval-orphan-1"));
  EXPECT_EQ(arn("orphan-2"), FakeLambda::ArnOf(kWorkflowFunctionName, "approval-orphan-2"));
  EXPECT_EQ(arn("orphan-3"), earlier);
  EXPECT_EQ(arn("own-key"), "");
  EXPECT_EQ(arn("closed"), "");

  // Idempotent: nothing is left to start.
  ASSERT_TRUE(h.service->Recover().ok());
  EXPECT_EQ(h.lambda.starts.size(), 1u + 2 + 120);

  // The recovered approval works like any other: its workflow attaches and is woken.
  ASSERT_TRUE(h.service->Attach("orphan-1", "cb-orphan").ok());
  auto done = h.service->Decide("alice", "orphan-1", "approve", "", "api");  // quorum 1
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->record.status, ApprovalStatus::kApproved);
  auto completions = h.lambda.Completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(completions[0].callback_id, "cb-orphan");
}

TEST(ServiceTest, RecoverReportsWorkflowsThatCannotStartAndRetriesNextTime) {
  Harness h;
  InsertWithoutWorkflow(h, "orphan-1", "id:orphan-1");
  h.lambda.fail_starts = true;
  Status st = h.service->Recover();
  EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
  EXPECT_NE(st.message().find("orphan-1"), std::string::npos) << st.message();
  EXPECT_EQ(h.service->Load("orphan-1", false)->record.status, ApprovalStatus::kPending);
  EXPECT_EQ(h.service->Load("orphan-1", false)->record.execution_arn, "");
  h.lambda.fail_starts = false;
  ASSERT_TRUE(h.service->Recover().ok());
  EXPECT_EQ(h.service->Load("orphan-1", false)->record.execution_arn,
            FakeLambda::ArnOf(kWorkflowFunctionName, "approval-orphan-1"));
}

TEST(ServiceTest, RegisterByRequestKeyIsIdempotentAndCompleteAppendsOnce) {
  Harness h;
  RegisterRequest reg;
  reg.request_key = "exec-1/approval";
  reg.spec.title = "t";
  reg.spec.requester = "carol";
  reg.spec.approvers = {"alice"};
  reg.execution_arn = "arn:x";
  auto a = h.service->Register(reg);
  auto b = h.service->Register(reg);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->approval_id, b->approval_id);
  ASSERT_TRUE(h.service->Complete(a->approval_id).ok());
  ASSERT_TRUE(h.service->Complete(a->approval_id).ok());
  auto view = h.service->Get(h.user("admin"), a->approval_id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->record.execution_arn, "arn:x");
  std::vector<std::string> kinds;
  for (const auto& e : view->audit) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"requested", "completed"}));
}

TEST(ServiceTest, ListPagesNewestFirstWithFiltersAndVisibility) {
  Harness h;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(h.Create(i % 2 ? "erin" : "carol", {i < 3 ? "alice" : "bob"}, 1));
    h.clock.AdvanceMs(1000);
  }
  // admin: all, newest first, 2 per page.
  std::vector<std::string> seen;
  ListQuery q;
  q.limit = 2;
  for (int page = 0; page < 5; ++page) {
    auto p = h.service->List(h.user("admin"), q);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    for (const auto& v : p->items) seen.push_back(v.record.id);
    if (!p->next_token) break;
    q.next_token = p->next_token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  auto count = [&](const std::string& user, ListQuery query) {
    auto p = h.service->List(h.user(user), query);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->items.size() : 0;
  };
  EXPECT_EQ(count("alice", {}), 3u);  // may decide 0, 1, 2
  EXPECT_EQ(count("bob", {}), 2u);
  EXPECT_EQ(count("carol", {}), 3u);  // her own: 0, 2, 4
  EXPECT_EQ(count("dave", {}), 0u);
  ListQuery mine;
  mine.requester = "me";
  EXPECT_EQ(count("erin", mine), 2u);
  ListQuery by_approver;
  by_approver.approver = "bob";
  EXPECT_EQ(count("admin", by_approver), 2u);
  ASSERT_TRUE(h.service->Decide("alice", ids[0], "approve", "", "api").ok());
  ListQuery pending;
  pending.status = "pending";
  EXPECT_EQ(count("alice", pending), 2u);
  ListQuery bad;
  bad.status = "weird";
  EXPECT_EQ(h.service->List(h.user("admin"), bad).status().code(), StatusCode::kInvalidArgument);
  bad = {};
  bad.limit = 0;
  EXPECT_EQ(h.service->List(h.user("admin"), bad).status().code(), StatusCode::kInvalidArgument);
  bad = {};
  bad.next_token = "%%%";
  EXPECT_EQ(h.service->List(h.user("admin"), bad).status().code(), StatusCode::kInvalidArgument);
  // Get follows the same visibility.
  EXPECT_EQ(h.service->Get(h.user("dave"), ids[0]).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(h.service->Get(h.user("alice"), ids[0]).ok());
}

TEST(ServiceTest, DecideByLinkOnceAsTheLinksApprover) {
  Harness h;
  std::string id = h.Create("carol", {"alice", "bob"}, 2);
  ASSERT_TRUE(h.service->Notify(id, NotificationKind::kRequest, 0).ok());
  std::string alice_url, bob_url;
  for (const auto& n : h.notifier.delivered) {
    (n.recipient.user_id == "alice" ? alice_url : bob_url) = n.action_url;
  }
  std::string prefix = "http://approvals.test/approvals/links/";
  std::string alice_token = alice_url.substr(prefix.size());
  // Inspecting changes nothing.
  auto seen = h.service->InspectLink(alice_token);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->check.problem, LinkProblem::kNone);
  EXPECT_EQ(seen->check.claims.approver, "alice");
  EXPECT_TRUE(h.service->Get(h.user("admin"), id)->decisions.empty());
  auto decided = h.service->DecideByLink(alice_token, "approve", "via mail");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  ASSERT_EQ(decided->decisions.size(), 1u);
  EXPECT_EQ(decided->decisions[0].approver, "alice");
  EXPECT_EQ(decided->decisions[0].via, "link");
  EXPECT_EQ(h.service->DecideByLink(alice_token, "approve", "").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(h.service->DecideByLink(alice_token + "x", "approve", "").status().code(),
            StatusCode::kFailedPrecondition);
  // A genuine link for someone who is not an approver of this request decides nothing.
  auto stranger = h.links->Issue(id, "dave", h.clock.NowMs() + 60'000);
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(h.service->DecideByLink(*stranger, "approve", "").status().code(),
            StatusCode::kFailedPrecondition);
  // Expired link.
  h.clock.AdvanceMs(3600 * 1000);
  EXPECT_EQ(h.service->DecideByLink(bob_url.substr(prefix.size()), "approve", "").status().code(),
            StatusCode::kCallbackClosed);
  EXPECT_EQ(h.service->Get(h.user("admin"), id)->decisions.size(), 1u);
}

TEST(HttpErrorTest, StatusesAndHttpErrorsMapBothWays) {
  const std::pair<Status, std::pair<int, std::string>> cases[] = {
      {InvalidArgument("m"), {400, "ValidationException"}},
      {Unauthorized("m"), {401, "UnauthorizedException"}},
      {Forbidden("m"), {403, "AccessDeniedException"}},
      {NotFound("m"), {404, "ResourceNotFoundException"}},
      {Conflict("m"), {409, "ConflictException"}},
      {Gone("m"), {410, "GoneException"}},
      {PayloadTooLarge("m"), {413, "RequestEntityTooLargeException"}},
      {Unavailable("m"), {503, "ServiceUnavailableException"}},
  };
  for (const auto& [status, http] : cases) {
    HttpError e = ToHttpError(status);
    EXPECT_EQ(e.status, http.first) << status.ToString();
    EXPECT_EQ(e.type, http.second) << status.ToString();
    Status back = StatusFromHttp(http.first, "back");
    EXPECT_EQ(back.code(), status.code()) << http.first;
    EXPECT_EQ(back.message(), "back");
  }
  EXPECT_EQ(ToHttpError(Status::Ok()).status, 200);
  EXPECT_EQ(ToHttpError(Internal("m")).status, 500);
  EXPECT_EQ(ToHttpError(Internal("m")).type, "ServiceException");
  for (int retryable : {429, 502, 504}) {
    EXPECT_EQ(StatusFromHttp(retryable, "m").code(), StatusCode::kUnavailable) << retryable;
  }
  EXPECT_EQ(StatusFromHttp(500, "m").code(), StatusCode::kInternal);
  EXPECT_EQ(StatusFromHttp(418, "m").code(), StatusCode::kInternal);
}
}  // namespace
}  // namespace durable::approvals
