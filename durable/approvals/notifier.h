// Notifier: one channel that delivers notifications (log, webhook, e-mail over SMTP). The service
// composes each Notification (text, HTML, links) and records every Deliver attempt.
// Implementations are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "durable/base/result.h"

namespace durable::approvals {

struct Recipient {
  std::string user_id;
  std::string name;
  std::string email;  // may be empty (e-mail is then skipped for this recipient)
};

struct Notification {
  std::string key;          // unique per delivery: approval/kind/sequence/recipient
  std::string approval_id;
  std::string kind;         // request | reminder | escalation | outcome
  Recipient recipient;
  std::string subject;
  std::string text;         // plain text incl. links
  std::string action_url;   // signed one-click link for approvers (confirm page); may be empty
  nlohmann::json data;      // machine-readable copy (approval summary)
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual std::string channel() const = 0;  // "log", "webhook", "email"
  virtual Status Deliver(const Notification& notification) = 0;
};

// Builds a notifier from its config entry: {"type":"log"} | {"type":"webhook","url":...} |
// {"type":"smtp","url":"smtp://host:port","from":...,"username"?,"password"?}.
Result<std::unique_ptr<Notifier>> MakeNotifier(const nlohmann::json& config);

}  // namespace durable::approvals
