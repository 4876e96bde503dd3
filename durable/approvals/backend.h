// ApprovalsBackend: what a durable workflow asks of the approvals service. Every call is made
// inside a checkpointed step of the workflow (helper.h) and is idempotent, because an
// at-least-once step can run again after a crash. Two implementations: the service itself
// (service.h, for in-process functions) and an HTTP client of the approvals API (for functions
// in their own processes). Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "durable/approvals/spec.h"
#include "durable/base/result.h"

namespace durable::approvals {

struct RegisterRequest {
  std::optional<std::string> approval_id;  // set when the API created the approval first
  std::string request_key;                 // idempotency key when approval_id is unset
  ApprovalSpec spec;
  std::string execution_arn;
};

struct Registration {
  std::string approval_id;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// Why a notification is sent. `sequence` numbers reminders (1, 2, ...); 0 otherwise.
enum class NotificationKind { kRequest, kReminder, kEscalation, kOutcome };
std::string ToString(NotificationKind kind);

class ApprovalsBackend {
 public:
  virtual ~ApprovalsBackend() = default;

  // Creates the approval (or returns the existing one for the same id / request_key) and appends
  // `requested` to its audit log once.
  virtual Result<Registration> Register(const RegisterRequest& request) = 0;

  // Points decisions at the callback the workflow now waits on, and returns the approval's state:
  // if it is no longer pending the workflow stops waiting (the outcome may have been reached while
  // no callback was attached). The service completes the attached callback when an outcome is
  // reached, with the ApprovalResult as JSON.
  virtual Result<ApprovalResult> Attach(const std::string& approval_id,
                                        const std::string& callback_id) = 0;

  // Sends the notifications of `kind` (approvers for request/reminder, the escalation approvers
  // for escalation, the requester for outcome). Each (approval, kind, sequence, recipient) is
  // delivered at most once across retries and restarts; every attempt is recorded. An error means
  // some delivery failed and the step should retry. Appends notified/reminded/escalated.
  virtual Status Notify(const std::string& approval_id, NotificationKind kind, int sequence) = 0;

  // Adds the escalation approvers (idempotent); appends `escalated` once.
  virtual Status Escalate(const std::string& approval_id) = 0;

  // Called when the workflow stops waiting because its time ran out: marks the approval expired
  // unless an outcome was already reached; returns the final result either way.
  virtual Result<ApprovalResult> Expire(const std::string& approval_id) = 0;

  // The workflow's outcome step finished: appends `completed` once.
  virtual Status Complete(const std::string& approval_id) = 0;
};

}  // namespace durable::approvals
