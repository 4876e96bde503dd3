// Test helpers for the server side of approvals: a temporary SQLite file, a fake Lambda API
// that records callback completions and started executions, a counting Notifier, and a service
// wired from them with the demo users. Test-only; thread-safe where the tests need it.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "durable/approvals/identity.h"
#include "durable/approvals/links.h"
#include "durable/approvals/notifier.h"
#include "durable/approvals/service.h"
#include "durable/approvals/store.h"
#include "durable/base/clock.h"
#include "durable/base/ids.h"

namespace durable::approvals::testing {

// A fresh directory removed on destruction.
class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() / ("approvals-test-" + RandomAlnum(12))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

class FakeLambda final : public LambdaApi {
 public:
  struct Completion {
    std::string callback_id;
    std::string result;
  };
  Status SendCallbackSuccess(const std::string& callback_id, const std::string& result) override {
    std::lock_guard lock(mu);
    if (fail_callbacks) return CallbackClosed("callback timed out");
    completions.push_back({callback_id, result});
    return Status::Ok();
  }
  Result<std::string> StartExecution(const std::string& function, const std::string& name,
                                     const std::string& payload) override {
    std::lock_guard lock(mu);
    if (fail_starts) return Unavailable("engine busy");
    if (already_started.count(name)) {
      return AlreadyExists("A durable execution named '" + name + "' already exists");
    }
    starts.push_back({function, name, payload});
    return ArnOf(function, name);
  }
  Result<std::optional<std::string>> FindExecution(const std::string& function,
                                                   const std::string& name) override {
    std::lock_guard lock(mu);
    finds.push_back(name);
    if (already_started.count(name)) return std::optional<std::string>(already_started[name]);
    for (const Start& s : starts) {
      if (s.function == function && s.name == name) {
        return std::optional<std::string>(ArnOf(function, name));
      }
    }
    return std::optional<std::string>();
  }
  static std::string ArnOf(const std::string& function, const std::string& name) {
    return "arn:aws:lambda:us-east-1:123456789012:function:" + function +
           ":$LATEST/durable-execution/" + name + "/x";
  }
  std::vector<Completion> Completions() {
    std::lock_guard lock(mu);
    return completions;
  }

  std::mutex mu;
  bool fail_callbacks = false;
  bool fail_starts = false;
  // Names whose start answers DurableExecutionAlreadyStarted; FindExecution returns the ARN.
  std::map<std::string, std::string> already_started;
  std::vector<std::string> finds;
  std::vector<Completion> completions;
  struct Start {
    std::string function, name, payload;
  };
  std::vector<Start> starts;
};

class CountingNotifier final : public Notifier {
 public:
  explicit CountingNotifier(std::string channel = "test") : channel_(std::move(channel)) {}
  std::string channel() const override { return channel_; }
  Status Deliver(const Notification& n) override {
    std::lock_guard lock(mu);
    delivered.push_back(n);
    if (failures_left > 0) {
      --failures_left;
      return Unavailable("mail server down");
    }
    return Status::Ok();
  }
  size_t Count() {
    std::lock_guard lock(mu);
    return delivered.size();
  }
  std::mutex mu;
  int failures_left = 0;
  std::vector<Notification> delivered;

 private:
  std::string channel_;
};

inline User MakeUser(const std::string& id, std::vector<std::string> roles) {
  User u;
  u.id = id;
  u.name = id;
  u.email = id + "@example.com";
  u.roles = std::move(roles);
  u.token_sha256 = HashToken(id + "-token");
  return u;
}

inline std::vector<User> DemoUsers() {
  return {MakeUser("alice", {kRoleApprover}),  MakeUser("bob", {kRoleApprover}),
          MakeUser("dave", {kRoleApprover}),   MakeUser("carol", {kRoleRequester}),
          MakeUser("erin", {kRoleRequester}),  MakeUser("admin", {kRoleAdmin}),
          MakeUser("workflow", {kRoleService})};
}

// Everything a service needs, on a real SQLite file.
struct Harness {
  explicit Harness(std::vector<Notifier*> extra = {}) {
    auto s = Store::Open(dir.File("durable.db"));
    if (!s.ok()) throw std::runtime_error(s.status().ToString());
    store = std::move(s).value();
    auto l = Links::Open(store.get(), &clock);
    if (!l.ok()) throw std::runtime_error(l.status().ToString());
    links = std::move(l).value();
    std::vector<Notifier*> notifiers = {&notifier};
    notifiers.insert(notifiers.end(), extra.begin(), extra.end());
    service = std::make_unique<Service>(store.get(), &identity, links.get(), notifiers, &lambda,
                                        &clock, ServiceOptions{"http://approvals.test", 3600});
  }
  const User& user(const std::string& id) { return *identity.Find(id); }

  // Creates an approval through the API as `requester`.
  std::string Create(const std::string& requester, std::vector<std::string> approvers,
                     int quorum = 1, int64_t timeout_seconds = 3600) {
    CreateRequest req;
    req.spec = {{"title", "Deploy"},
                {"approvers", approvers},
                {"quorum", quorum},
                {"timeout_seconds", timeout_seconds}};
    auto r = service->Create(user(requester), req);
    if (!r.ok()) throw std::runtime_error(r.status().ToString());
    return r->approval.record.id;
  }

  TempDir dir;
  FakeClock clock;
  Identity identity{DemoUsers()};
  FakeLambda lambda;
  CountingNotifier notifier;
  std::unique_ptr<Store> store;
  std::unique_ptr<Links> links;
  std::unique_ptr<Service> service;
};

}  // namespace durable::approvals::testing
