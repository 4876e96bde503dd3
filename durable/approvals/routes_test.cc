// The approvals HTTP API on a real http::Server: auth, status codes in the AWS error shape, link
// confirm pages, and the ApprovalsBackend over HTTP (HttpBackend against /approvals/internal).
#include "durable/approvals/routes.h"

#include <gtest/gtest.h>

#include <random>

#include "durable/approvals/http_backend.h"
#include "durable/approvals/server_test_util.h"

namespace durable::approvals {
namespace {

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterApprovalRoutes(server_, *h_.service);
    auto port = server_.Start();
    ASSERT_TRUE(port.ok());
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  void TearDown() override { server_.Stop(); }

  http::ClientResponse Call(const std::string& method, const std::string& path,
                            const std::string& user, const std::string& body = "",
                            const std::string& content_type = "application/json") {
    http::Client client(base_);
    http::Headers headers;
    if (!user.empty()) headers.emplace("Authorization", "Bearer " + user + "-token");
    auto r = client.Send(method, path, body, headers, content_type);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::ClientResponse{};
  }
  static Json Body(const http::ClientResponse& r) { return Json::parse(r.body, nullptr, false); }
  std::string CreateApproval(const std::string& extra = "") {
    auto r = Call("POST", "/approvals", "carol",
                  R"({"title":"Deploy","approvers":["alice","bob"],"quorum":2)" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r).value("approval_id", "");
  }

  testing::Harness h_;
  http::Server server_{http::ServerOptions{.host = "127.0.0.1", .port = 0}};
  std::string base_;
};

TEST_F(RoutesTest, AuthAndMe) {
  auto none = Call("GET", "/approvals/me", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("X-Amzn-ErrorType"), "UnauthorizedException");
  EXPECT_EQ(Body(none)["Type"], "User");
  EXPECT_FALSE(Body(none)["message"].get<std::string>().empty());
  EXPECT_EQ(Call("GET", "/approvals", "mallory").status, 401);
  auto me = Call("GET", "/approvals/me", "alice");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["id"], "alice");
  EXPECT_EQ(Body(me)["roles"], Json::array({"approver"}));
  EXPECT_EQ(Body(me)["email"], "alice@example.com");
}

TEST_F(RoutesTest, CreateDecideAndErrors) {
  auto bad = Call("POST", "/approvals", "carol", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("X-Amzn-ErrorType"), "ValidationException");
  auto missing = Call("POST", "/approvals", "carol", R"({"approvers":["alice"]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(Body(missing)["message"].get<std::string>().find("title"), std::string::npos);

  auto first =
      Call("POST", "/approvals", "carol",
           R"({"title":"Deploy","approvers":["alice","bob"],"quorum":2,"request_id":"r1"})");
  ASSERT_EQ(first.status, 201) << first.body;
  std::string id = Body(first)["approval_id"];
  EXPECT_EQ(Body(first)["status"], "pending");
  EXPECT_FALSE(Body(first)["execution_arn"].get<std::string>().empty());
  auto again =
      Call("POST", "/approvals", "carol",
           R"({"title":"Deploy","approvers":["alice","bob"],"quorum":2,"request_id":"r1"})");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Body(again)["approval_id"], id);

  std::string path = "/approvals/" + id;
  EXPECT_EQ(Call("POST", path + "/decision", "carol", R"({"decision":"approve"})").status, 403);
  auto denied = Call("POST", path + "/decision", "dave", R"({"decision":"approve"})");
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Header("X-Amzn-ErrorType"), "AccessDeniedException");
  EXPECT_EQ(Call("POST", path + "/decision", "alice", R"({"decision":"perhaps"})").status, 400);
  auto ok = Call("POST", path + "/decision", "alice", R"({"decision":"approve","comment":"lgtm"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["approvals_count"], 1);
  EXPECT_EQ(Body(ok)["decisions"][0]["comment"], "lgtm");
  auto twice = Call("POST", path + "/decision", "alice", R"({"decision":"approve"})");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.Header("X-Amzn-ErrorType"), "ConflictException");
  auto win = Call("POST", path + "/decision", "bob", R"({"decision":"approve","via":"ui"})");
  ASSERT_EQ(win.status, 200);
  EXPECT_EQ(Body(win)["status"], "approved");

  auto got = Call("GET", path, "carol");
  ASSERT_EQ(got.status, 200);
  Json j = Body(got);
  EXPECT_EQ(j["request_id"], "r1");
  EXPECT_EQ(j["audit"][0]["kind"], "requested");
  EXPECT_EQ(j["audit"].back()["kind"], "approved");
  EXPECT_EQ(Call("GET", "/approvals/nope", "admin").status, 404);
  EXPECT_EQ(Call("POST", path + "/cancel", "carol", "{}").status, 409);
  EXPECT_EQ(Call("DELETE", path, "admin").status, 404);

  auto list = Call("GET", "/approvals?status=approved&requester=me&limit=10", "carol");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(Body(list)["items"].size(), 1u);
  EXPECT_FALSE(Body(list)["items"][0].contains("audit"));
  EXPECT_FALSE(Body(list).contains("next_token"));
  EXPECT_EQ(Call("GET", "/approvals?limit=abc", "carol").status, 400);
}

TEST_F(RoutesTest, DecisionViaIsOptionalAndTheBodyCannotClaimALink) {
  std::string id = CreateApproval();  // alice and bob, quorum 2
  std::string path = "/approvals/" + id + "/decision";
  auto link = Call("POST", path, "alice", R"({"decision":"approve","via":"link"})");
  EXPECT_EQ(link.status, 400) << link.body;
  EXPECT_EQ(link.Header("X-Amzn-ErrorType"), "ValidationException");
  EXPECT_EQ(Call("POST", path, "alice", R"({"decision":"approve","via":"mail"})").status, 400);
  EXPECT_EQ(Call("POST", path, "alice", R"({"decision":"approve","via":7})").status, 400);
  ASSERT_EQ(Call("POST", path, "alice", R"({"decision":"approve"})").status, 200);
  auto ui = Call("POST", path, "bob", R"({"decision":"approve","via":"ui"})");
  ASSERT_EQ(ui.status, 200) << ui.body;
  Json j = Body(ui);
  ASSERT_EQ(j["decisions"].size(), 2u);
  EXPECT_EQ(j["decisions"][0]["via"], "api");  // the default
  EXPECT_EQ(j["decisions"][1]["via"], "ui");
}

TEST_F(RoutesTest, ExpiredDecisionIsGone) {
  std::string id = CreateApproval(R"(,"timeout_seconds":30)");
  h_.clock.AdvanceMs(31'000);
  auto r = Call("POST", "/approvals/" + id + "/decision", "alice", R"({"decision":"approve"})");
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(r.Header("X-Amzn-ErrorType"), "GoneException");
}

TEST_F(RoutesTest, LinkConfirmPageChangesNothingUntilPosted) {
  std::string id = CreateApproval();
  ASSERT_TRUE(h_.service->Notify(id, NotificationKind::kRequest, 0).ok());
  std::string url;
  for (const auto& n : h_.notifier.delivered) {
    if (n.recipient.user_id == "alice") url = n.action_url;
  }
  std::string path = url.substr(std::string("http://approvals.test").size());
  for (int i = 0; i < 3; ++i) {  // a mail scanner following the link
    auto page = Call("GET", path, "");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("<form method=\"post\""), std::string::npos);
    EXPECT_NE(page.body.find("Deploy"), std::string::npos);
  }
  EXPECT_TRUE(h_.service->Get(h_.user("admin"), id)->decisions.empty());

  // Bytes that are not UTF-8 in the form are refused (and leave the link usable).
  auto garbled = Call("POST", path, "", "decision=approve&comment=%FF%FE",
                      "application/x-www-form-urlencoded");
  EXPECT_EQ(garbled.status, 400) << garbled.body;
  EXPECT_TRUE(h_.service->Get(h_.user("admin"), id)->decisions.empty());

  auto done = Call("POST", path, "", "decision=approve&comment=from+my+phone",
                   "application/x-www-form-urlencoded");
  EXPECT_EQ(done.status, 200) << done.body;
  auto view = h_.service->Get(h_.user("admin"), id);
  ASSERT_EQ(view->decisions.size(), 1u);
  EXPECT_EQ(view->decisions[0].approver, "alice");
  EXPECT_EQ(view->decisions[0].comment, "from my phone");
  EXPECT_EQ(view->decisions[0].via, "link");

  auto reused = Call("POST", path, "", "decision=reject", "application/x-www-form-urlencoded");
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(Call("GET", path, "").status, 409);
  std::string forged = path;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Call("GET", forged, "").status, 403);
  EXPECT_EQ(
      Call("POST", forged, "", "decision=approve", "application/x-www-form-urlencoded").status,
      403);
  EXPECT_EQ(h_.service->Get(h_.user("admin"), id)->decisions.size(), 1u);
}

// Mutated requests to every JSON route: each answer is a success or an AWS-shaped error, never a
// 5xx, and the server keeps serving.
TEST_F(RoutesTest, MutatedRequestsGetAwsShapedAnswers) {
  std::string id = CreateApproval();
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"/approvals",
       R"({"title":"T","approvers":["alice"],"quorum":1,"request_id":"m",)"
       R"("timeout_seconds":60,"escalation":{"after_seconds":5,"approvers":["bob"]}})"},
      {"/approvals/" + id + "/decision", R"({"decision":"approve","comment":"c","via":"ui"})"},
      {"/approvals/" + id + "/cancel", R"({"comment":"x"})"},
      {"/approvals/internal/register",
       R"({"request_key":"k","spec":{"title":"t","requester":"carol","approvers":["alice"]}})"},
      {"/approvals/internal/notify",
       R"({"approval_id":")" + id + R"(","kind":"reminder","sequence":1})"},
      {"/approvals/internal/attach", R"({"approval_id":")" + id + R"(","callback_id":"cb"})"},
  };
  const std::vector<std::string> users = {"carol", "alice", "admin", "workflow"};
  std::mt19937 rng(7);
  const std::string junk = "{}[]\",:0-9aZ \\\x01\xff\xc3";
  for (int i = 0; i < 400; ++i) {
    const auto& [path, seed] = seeds[rng() % seeds.size()];
    std::string body = seed;
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !body.empty(); ++e) {
      size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body.erase(at, 1 + rng() % 3);
          break;
        case 1:
          body.insert(at, 1, junk[rng() % junk.size()]);
          break;
        default:
          body[at] = junk[rng() % junk.size()];
      }
    }
    auto r = Call("POST", path, users[rng() % users.size()], body);
    ASSERT_LT(r.status, 500) << path << " " << body << " -> " << r.body;
    if (r.status >= 400) {
      EXPECT_TRUE(r.Header("X-Amzn-ErrorType").has_value()) << body;
      Json err = Body(r);
      ASSERT_TRUE(err.is_object() && err.contains("message")) << r.body;
    } else {
      EXPECT_TRUE(Body(r).is_object()) << r.body;
    }
  }
  EXPECT_EQ(Call("GET", "/approvals/me", "alice").status, 200);
}

TEST_F(RoutesTest, BackendOverHttp) {
  HttpBackend backend(base_, "workflow-token");
  RegisterRequest reg;
  reg.request_key = "exec-9/approval";
  reg.spec.title = "Over HTTP";
  reg.spec.requester = "carol";
  reg.spec.approvers = {"alice"};
  auto r = backend.Register(reg);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->expires_at_ms, r->created_at_ms);
  EXPECT_EQ(backend.Register(reg)->approval_id, r->approval_id);
  auto attached = backend.Attach(r->approval_id, "cb-http");
  ASSERT_TRUE(attached.ok()) << attached.status().ToString();
  EXPECT_EQ(attached->status, ApprovalStatus::kPending);
  ASSERT_TRUE(backend.Notify(r->approval_id, NotificationKind::kRequest, 0).ok());
  EXPECT_EQ(h_.notifier.Count(), 1u);
  ASSERT_TRUE(backend.Escalate(r->approval_id).ok());
  ASSERT_TRUE(h_.service->Decide("alice", r->approval_id, "reject", "", "api").ok());
  ASSERT_EQ(h_.lambda.Completions().size(), 1u);
  EXPECT_EQ(h_.lambda.Completions()[0].callback_id, "cb-http");
  auto expired = backend.Expire(r->approval_id);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, ApprovalStatus::kRejected);
  EXPECT_TRUE(backend.Complete(r->approval_id).ok());
  // Errors keep their code across HTTP.
  EXPECT_EQ(backend.Attach("missing", "cb").status().code(), StatusCode::kNotFound);
  HttpBackend not_service(base_, "alice-token");
  EXPECT_EQ(not_service.Attach(r->approval_id, "cb").status().code(),
            StatusCode::kFailedPrecondition);
  HttpBackend nobody(base_, "wrong");
  EXPECT_EQ(nobody.Complete(r->approval_id).code(), StatusCode::kInvalidToken);
}

}  // namespace
}  // namespace durable::approvals
