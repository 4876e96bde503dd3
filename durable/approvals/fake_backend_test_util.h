// Test-only ApprovalsBackend that records every call in order ("register", "notify:reminder:2",
// "attach:<callback id>", ...) and lets a test play the service: decide, cancel, inject errors.
// Thread-safe (one mutex), like the real backends.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "durable/approvals/backend.h"
#include "durable/sdk/memory_checkpoint_client.h"

namespace durable::approvals::testing {

class FakeBackend final : public ApprovalsBackend {
 public:
  Result<Registration> Register(const RegisterRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("register");
    if (auto s = Pop(); !s.ok()) return s;
    id_ = request.approval_id.value_or("apr-1");
    request_key_ = request.request_key;
    spec_ = request.spec;
    execution_arn_ = request.execution_arn;
    Registration r;
    r.approval_id = id_;
    r.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    r.expires_at_ms = r.created_at_ms + request.spec.timeout_seconds * 1000;
    return r;
  }

  Result<ApprovalResult> Attach(const std::string& approval_id,
                                const std::string& callback_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("attach:" + callback_id);
    if (auto s = Pop(); !s.ok()) return s;
    if (approval_id != id_) return NotFound("no approval " + approval_id);
    callback_id_ = callback_id;
    return ResultLocked();
  }

  Status Notify(const std::string& approval_id, NotificationKind kind, int sequence) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("notify:" + ToString(kind) + ":" + std::to_string(sequence));
    if (approval_id != id_) return NotFound("no approval " + approval_id);
    return Pop();
  }

  Status Escalate(const std::string& approval_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("escalate");
    if (approval_id != id_) return NotFound("no approval " + approval_id);
    return Pop();
  }

  Result<ApprovalResult> Expire(const std::string& approval_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("expire");
    if (auto s = Pop(); !s.ok()) return s;
    if (approval_id != id_) return NotFound("no approval " + approval_id);
    if (status_ == ApprovalStatus::kPending) status_ = ApprovalStatus::kExpired;
    return ResultLocked();
  }

  Status Complete(const std::string& approval_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("complete");
    if (approval_id != id_) return NotFound("no approval " + approval_id);
    return Pop();
  }

  // --- the service's part ---
  // Moves the approval to `status` (with an optional decision) and returns the callback payload.
  std::string Decide(ApprovalStatus status, std::optional<Decision> decision = std::nullopt) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    if (decision) decisions_.push_back(*decision);
    return ToJson(ResultLocked()).dump();
  }
  // The next backend call (any kind) fails with `status`.
  void FailNext(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.push_back(std::move(status));
  }

  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::string callback_id() const {
    std::lock_guard<std::mutex> lock(mu_);
    return callback_id_;
  }
  std::string request_key() const {
    std::lock_guard<std::mutex> lock(mu_);
    return request_key_;
  }
  std::string execution_arn() const {
    std::lock_guard<std::mutex> lock(mu_);
    return execution_arn_;
  }
  ApprovalSpec spec() const {
    std::lock_guard<std::mutex> lock(mu_);
    return spec_;
  }

 private:
  Status Pop() {
    if (failures_.empty()) return Status::Ok();
    Status s = failures_.front();
    failures_.pop_front();
    return s;
  }
  ApprovalResult ResultLocked() const {
    ApprovalResult r;
    r.approval_id = id_;
    r.status = status_;
    r.decisions = decisions_;
    return r;
  }

  mutable std::mutex mu_;
  std::vector<std::string> calls_;
  std::deque<Status> failures_;
  std::string id_;
  std::string request_key_;
  std::string execution_arn_;
  std::string callback_id_;
  ApprovalSpec spec_;
  ApprovalStatus status_ = ApprovalStatus::kPending;
  std::vector<Decision> decisions_;
};

// The service's side of a decision: moves `backend` to `status` (with an optional decision) and
// completes the workflow's approval callback in `client` with the outcome.
inline Status DecideAndWake(FakeBackend& backend, sdk::MemoryCheckpointClient& client,
                            ApprovalStatus status,
                            std::optional<Decision> decision = std::nullopt) {
  return client.SucceedCallback(backend.callback_id(), backend.Decide(status, std::move(decision)));
}

}  // namespace durable::approvals::testing
