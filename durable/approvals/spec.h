// The vocabulary of approvals: what a workflow asks for (ApprovalSpec), what it gets back
// (ApprovalResult), and their JSON forms (the same field names on the HTTP API, in the callback
// payload and in checkpoints). Pure values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "durable/base/result.h"

namespace durable::approvals {

using Json = nlohmann::json;

struct Escalation {
  int64_t after_seconds = 0;           // from the request; 0 = no escalation
  std::vector<std::string> approvers;  // added to the approvers and notified
};

struct ApprovalSpec {
  std::string title;
  std::string description;
  std::string requester;               // user id
  std::vector<std::string> approvers;  // user ids
  int quorum = 1;                      // approvals needed; any one rejection vetoes
  int64_t timeout_seconds = 24 * 3600;
  int64_t reminder_interval_seconds = 0;  // 0 = no reminders
  Escalation escalation;
  Json payload = Json::object();  // free-form, shown to approvers
};

// The status of an approval. kPending until an outcome is reached.
enum class ApprovalStatus { kPending, kApproved, kRejected, kExpired, kCancelled };
std::string ToString(ApprovalStatus status);
std::optional<ApprovalStatus> StatusFromString(const std::string& text);

struct Decision {
  std::string approver;
  std::string decision;  // "approve" | "reject"
  std::string comment;
  int64_t at_ms = 0;
  std::string via;  // "api" | "link" | "ui"
};

struct ApprovalResult {
  std::string approval_id;
  ApprovalStatus status = ApprovalStatus::kPending;
  std::vector<Decision> decisions;
};

// JSON <-> values. Parsing checks types and ranges and names the offending field.
Json ToJson(const ApprovalSpec& spec);
Result<ApprovalSpec> SpecFromJson(const Json& json);
Json ToJson(const Decision& decision);
Result<Decision> DecisionFromJson(const Json& json);
Json ToJson(const ApprovalResult& result);
Result<ApprovalResult> ResultFromJson(const Json& json);

// Times on the approvals API: RFC 3339 UTC with milliseconds ("2026-11-26T17:40:00.000Z").
std::string FormatTimeMs(int64_t ms);
// Accepts that form (fraction optional, 'Z' required); nullopt otherwise.
std::optional<int64_t> ParseTimeMs(const std::string& text);

}  // namespace durable::approvals
