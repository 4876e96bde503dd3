// `durable serve` with approvals, in-process: the real DurableServer (SQLite, engine, HTTP,
// in-process approval-workflow) driven only over HTTP. Checks the wiring end to end: POST
// /approvals starts the workflow through Invoke, decisions complete its callback through
// SendDurableExecutionCallbackSuccess, cancel wakes it too, and the approvals survive a restart.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "durable/approvals/identity.h"
#include "durable/base/ids.h"
#include "durable/http/http.h"
#include "durable/server/server.h"

namespace durable {
namespace {

using json = nlohmann::json;

class ApprovalsWiringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("durable-approvals-" + NewUuid());
    std::filesystem::create_directories(dir_);
    json users = json::array();
    for (auto [id, role] : std::vector<std::pair<std::string, std::string>>{
             {"alice", "approver"}, {"bob", "approver"}, {"carol", "requester"}}) {
      users.push_back(
          {{"id", id}, {"roles", {role}}, {"token_sha256", approvals::HashToken(id + "-token")}});
    }
    std::ofstream(dir_ / "approvals.json") << json{{"users", users}}.dump();
    Start();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Start() {
    server::ServeOptions o;
    o.port = 0;
    o.db_path = (dir_ / "state.db").string();
    o.approvals_config = (dir_ / "approvals.json").string();
    auto s = server::DurableServer::Start(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  http::ClientResponse Call(const std::string& method, const std::string& path,
                            const std::string& user, const std::string& body = "") {
    http::Client client(base_);
    http::Headers headers;
    if (!user.empty()) headers.emplace("Authorization", "Bearer " + user + "-token");
    auto r = client.Send(method, path, body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::ClientResponse{};
  }

  // Polls GetDurableExecution until the execution is closed.
  json AwaitExecution(const std::string& arn) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    json ex;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = Call("GET", "/2025-12-01/durable-executions/" + PercentEncode(arn), "");
      ex = json::parse(r.body, nullptr, false);
      if (r.status == 200 && ex.value("Status", "") != "RUNNING") return ex;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution still running: " << ex.dump();
    return ex;
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::DurableServer> server_;
  std::string base_;
};

TEST_F(ApprovalsWiringTest, TheBuiltInWorkflowIsCountedAsServed) {
  Start();
  // `durable serve` prints this count; without a template it serves approval-workflow alone.
  EXPECT_EQ(server_->function_count(), 1u);
}

TEST_F(ApprovalsWiringTest, QuorumReachedOverHttpEndsTheWorkflowApproved) {
  auto created = Call("POST", "/approvals", "carol",
                      R"({"title":"Ship","approvers":["alice","bob"],"quorum":2})");
  ASSERT_EQ(created.status, 201) << created.body;
  json c = json::parse(created.body);
  std::string id = c["approval_id"], arn = c["execution_arn"];
  ASSERT_NE(arn.find("approval-workflow"), std::string::npos) << arn;
  ASSERT_EQ(
      Call("POST", "/approvals/" + id + "/decision", "alice", R"({"decision":"approve"})").status,
      200);
  ASSERT_EQ(
      Call("POST", "/approvals/" + id + "/decision", "bob", R"({"decision":"approve"})").status,
      200);
  json ex = AwaitExecution(arn);
  ASSERT_EQ(ex["Status"], "SUCCEEDED") << ex.dump();
  json result = json::parse(ex["Result"].get<std::string>());
  EXPECT_EQ(result["approval_id"], id);
  EXPECT_EQ(result["status"], "approved");
  EXPECT_EQ(result["decisions"].size(), 2u);

  json got = json::parse(Call("GET", "/approvals/" + id, "carol").body);
  std::vector<std::string> kinds;
  for (const auto& e : got["audit"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds.front(), "requested");
  EXPECT_EQ(kinds.back(), "completed");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "approved"), kinds.end());

  // Approvals survive a restart on the same database file.
  server_.reset();
  Start();
  json again = json::parse(Call("GET", "/approvals/" + id, "alice").body);
  EXPECT_EQ(again["status"], "approved");
  EXPECT_EQ(again["audit"].size(), got["audit"].size());
}

TEST_F(ApprovalsWiringTest, CancelWakesTheWorkflow) {
  auto created = Call("POST", "/approvals", "carol", R"({"title":"Maybe","approvers":["alice"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  json c = json::parse(created.body);
  std::string id = c["approval_id"];
  // Wait until the workflow is running (it notified); whether its callback is attached yet or
  // not, cancelling must end it (by the callback, or by its next Attach).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool notified = false;
  while (!notified && std::chrono::steady_clock::now() < deadline) {
    json got = json::parse(Call("GET", "/approvals/" + id, "carol").body);
    for (const auto& e : got["audit"]) notified |= e["kind"] == "notified";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(notified);
  auto cancelled = Call("POST", "/approvals/" + id + "/cancel", "carol", R"({"comment":"no"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  json ex = AwaitExecution(c["execution_arn"]);
  ASSERT_EQ(ex["Status"], "SUCCEEDED") << ex.dump();
  EXPECT_EQ(json::parse(ex["Result"].get<std::string>())["status"], "cancelled");
  EXPECT_EQ(
      Call("POST", "/approvals/" + id + "/decision", "alice", R"({"decision":"approve"})").status,
      409);
  EXPECT_EQ(Call("GET", "/approvals", "").status, 401);
}

}  // namespace
}  // namespace durable
