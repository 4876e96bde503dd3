// ApprovalsBackend over HTTP: the calls of a workflow running in its own process (a function
// process, or any program using RequestApproval) sent to a Durable server's
// `/approvals/internal/...` routes with a token of a user with the `service` role. Errors come
// back as the same Status codes the service returned (StatusFromHttp). Thread-safe: each call
// uses its own connection.
#pragma once

#include <string>

#include "durable/approvals/backend.h"
#include "durable/base/result.h"

namespace durable::approvals {

class HttpBackend final : public ApprovalsBackend {
 public:
  // `base_url` e.g. "http://127.0.0.1:9700"; `token` the service user's API token.
  HttpBackend(std::string base_url, std::string token)
      : base_url_(std::move(base_url)), token_(std::move(token)) {}

  Result<Registration> Register(const RegisterRequest& request) override;
  Result<ApprovalResult> Attach(const std::string& approval_id,
                                const std::string& callback_id) override;
  Status Notify(const std::string& approval_id, NotificationKind kind, int sequence) override;
  Status Escalate(const std::string& approval_id) override;
  Result<ApprovalResult> Expire(const std::string& approval_id) override;
  Status Complete(const std::string& approval_id) override;

 private:
  Result<Json> Call(const std::string& op, const Json& body);
  std::string base_url_;
  std::string token_;
};

}  // namespace durable::approvals
