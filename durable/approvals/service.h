// The approvals service: the state machine of docs/approvals.md over the Store. The HTTP API
// (routes.h) calls Create/List/Get/Decide/Cancel for authenticated users; workflows call the
// ApprovalsBackend side. An outcome (quorum of approvals, a veto, expiry, cancellation) is reached
// in the same SQLite transaction as the decision that causes it; afterwards the service wakes the
// workflow by completing its attached durable callback through the public Lambda API.
// Thread-safe: decisions on one approval are serialized by a per-approval mutex and the store's
// write transaction (UPDATE ... WHERE status='pending'), so exactly one decision wins. A
// notification's delivery key is claimed in a write transaction before its notifier runs, so
// concurrent Notify calls (threads or processes) deliver each key at most once.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "durable/approvals/backend.h"
#include "durable/approvals/identity.h"
#include "durable/approvals/links.h"
#include "durable/approvals/notifier.h"
#include "durable/approvals/spec.h"
#include "durable/approvals/store.h"
#include "durable/base/clock.h"
#include "durable/base/result.h"

namespace durable::approvals {

// Errors of the service are Status values; their code selects the HTTP answer:
//   kInvalidArgument 400 ValidationException   kInvalidToken 401 UnauthorizedException
//   kFailedPrecondition 403 AccessDeniedException   kNotFound 404 ResourceNotFoundException
//   kAlreadyExists 409 ConflictException   kCallbackClosed 410 GoneException
//   kUnavailable 503 ServiceUnavailableException   anything else 500 ServiceException
inline Status Forbidden(std::string m) { return FailedPrecondition(std::move(m)); }
inline Status Conflict(std::string m) { return AlreadyExists(std::move(m)); }
inline Status Gone(std::string m) { return CallbackClosed(std::move(m)); }
inline Status Unauthorized(std::string m) { return InvalidToken(std::move(m)); }

struct HttpError {
  int status = 500;
  std::string type;
};
HttpError ToHttpError(const Status& status);
// The inverse, for HTTP clients of the API (http_backend.cc): an error answer back to a Status.
Status StatusFromHttp(int http_status, const std::string& message);

// The public Lambda API calls the service makes (an interface so unit tests can fake them).
class LambdaApi {
 public:
  virtual ~LambdaApi() = default;
  // SendDurableExecutionCallbackSuccess with `result` as the callback's result.
  virtual Status SendCallbackSuccess(const std::string& callback_id, const std::string& result) = 0;
  // Invoke `function` with InvocationType=Event and DurableExecutionName=`name`; returns the
  // execution ARN. The same name and payload again return the same execution.
  virtual Result<std::string> StartExecution(const std::string& function, const std::string& name,
                                             const std::string& payload) = 0;
  // The ARN of `function`'s execution named `name`, if there is one.
  virtual Result<std::optional<std::string>> FindExecution(const std::string& function,
                                                           const std::string& name) = 0;
};

// LambdaApi over HTTP against a Durable server (normally this process's own port).
class HttpLambdaApi final : public LambdaApi {
 public:
  explicit HttpLambdaApi(std::string base_url = "") : base_url_(std::move(base_url)) {}
  void SetBaseUrl(std::string base_url);
  Status SendCallbackSuccess(const std::string& callback_id, const std::string& result) override;
  Result<std::string> StartExecution(const std::string& function, const std::string& name,
                                     const std::string& payload) override;
  Result<std::optional<std::string>> FindExecution(const std::string& function,
                                                   const std::string& name) override;

 private:
  std::string base_url() const;
  mutable std::mutex mu_;
  std::string base_url_;
};

// An approval as the API shows it.
struct ApprovalView {
  ApprovalRecord record;
  std::vector<Decision> decisions;
  std::vector<AuditEntry> audit;  // only filled by Get
};
// The Approval JSON of docs/approvals.md; `audit` only when with_audit.
Json ToApiJson(const ApprovalView& view, bool with_audit);

struct CreateRequest {
  Json spec;                              // ApprovalSpec JSON (requester may be omitted)
  std::optional<std::string> request_id;  // idempotency key chosen by the caller
};
struct CreateResult {
  ApprovalView approval;
  bool created = false;  // false: an earlier request with the same request_id
};

struct ListQuery {
  std::optional<std::string> status;
  std::optional<std::string> approver;   // user id or "me"
  std::optional<std::string> requester;  // user id or "me"
  int limit = 50;
  std::optional<std::string> next_token;
};
struct ListPage {
  std::vector<ApprovalView> items;
  std::optional<std::string> next_token;
};

std::optional<NotificationKind> NotificationKindFromString(const std::string& text);

// What a one-click link shows on its confirm page.
struct LinkView {
  LinkCheck check;
  std::optional<ApprovalView> approval;  // unless the link is forged
};

struct ServiceOptions {
  std::string public_url;  // base URL in links; may be set later with SetPublicUrl
  int64_t link_ttl_seconds = 86400;
  // How long a claimed delivery key stays claimed: longer than the slowest notifier may take
  // (timeout_seconds is at most 300), so only a claim left by a crash expires.
  int64_t delivery_claim_seconds = 360;
};

class Service final : public ApprovalsBackend {
 public:
  // None of the pointers is owned; all must outlive the service. `notifiers` may be empty.
  Service(Store* store, const Identity* identity, Links* links, std::vector<Notifier*> notifiers,
          LambdaApi* lambda, const Clock* clock, ServiceOptions options);

  // Once at server start, when the Lambda API answers: ends the notification claims left by an
  // earlier process (one that died mid-delivery), so their keys are delivered on the next retry
  // rather than when the claim expires. Assumes one server process per database file (a claim
  // of another live process would be ended too, and that key could be delivered twice).
  // Then starts approval-workflow for every pending approval created through the API whose
  // workflow never started (a crash between the row's commit and the Invoke): the execution
  // name approval-<id> makes this idempotent. Unavailable (naming the count) if some could not
  // start; they stay pending and the next start tries again.
  Status Recover();

  void SetPublicUrl(const std::string& url);
  const Identity& identity() const { return *identity_; }

  // --- the HTTP API, for an authenticated caller ---
  Result<CreateResult> Create(const User& caller, const CreateRequest& request);
  Result<ListPage> List(const User& caller, const ListQuery& query);
  Result<ApprovalView> Get(const User& caller, const std::string& id);
  // `via`: "api" | "ui" | "link". The 403/409/410 rules of docs/approvals.md.
  Result<ApprovalView> Decide(const std::string& approver, const std::string& id,
                              const std::string& decision, const std::string& comment,
                              const std::string& via);
  Result<ApprovalView> Cancel(const User& caller, const std::string& id,
                              const std::string& comment);
  // The confirm page's data: never changes state.
  Result<LinkView> InspectLink(const std::string& token);
  // Decides as the link's approver, once: Forbidden for a forged link, Gone for an expired one,
  // Conflict for a used one; otherwise the rules of Decide (via "link").
  Result<ApprovalView> DecideByLink(const std::string& token, const std::string& decision,
                                    const std::string& comment);
  // Loads without an access check (link pages).
  Result<ApprovalView> Load(const std::string& id, bool with_audit);

  // --- ApprovalsBackend ---
  Result<Registration> Register(const RegisterRequest& request) override;
  Result<ApprovalResult> Attach(const std::string& approval_id,
                                const std::string& callback_id) override;
  Status Notify(const std::string& approval_id, NotificationKind kind, int sequence) override;
  Status Escalate(const std::string& approval_id) override;
  Result<ApprovalResult> Expire(const std::string& approval_id) override;
  Status Complete(const std::string& approval_id) override;

 private:
  std::mutex& LockFor(const std::string& id);
  std::string public_url() const;
  // Appends the outcome's audit entry; REQUIRES: inside a write transaction, row just closed.
  static ApprovalResult ResultOf(const ApprovalRecord& record, std::vector<Decision> decisions);
  // Completes the attached callback (if any) with the result; failures are logged only: the
  // workflow reads the outcome from the row on its next Attach.
  void WakeWorkflow(const std::string& callback_id, const ApprovalResult& result);
  Result<ApprovalView> LoadLocked(StoreTx& tx, const std::string& id, bool with_audit);
  Status CheckCanSee(const User& caller, const ApprovalView& view) const;
  Status StartWorkflow(ApprovalView& view);
  Recipient RecipientOf(const std::string& user_id) const;

  Store* store_;
  const Identity* identity_;
  Links* links_;
  std::vector<Notifier*> notifiers_;
  LambdaApi* lambda_;
  const Clock* clock_;
  ServiceOptions options_;
  mutable std::mutex options_mu_;
  std::array<std::mutex, 64> locks_;
  const std::string claim_owner_;  // this instance's name on the delivery claims it takes
};

}  // namespace durable::approvals
