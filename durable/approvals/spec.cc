// JSON codecs of the approvals vocabulary (spec.h). Parsing never throws: every type or range
// problem becomes InvalidArgument naming the offending field ("approvers[2] must be a non-empty
// string"). Pure functions; thread-safe.
#include "durable/approvals/spec.h"

#include <set>

#include "durable/approvals/backend.h"
#include "durable/base/macros.h"
#include "durable/base/time_format.h"

namespace durable::approvals {
namespace {

// The longest wait a spec may ask for (a durable execution lives at most a year).
constexpr int64_t kMaxTimeoutSeconds = 366LL * 24 * 3600;
// Reminders are one durable callback each; cap them so a spec cannot explode the history.
constexpr int64_t kMaxReminders = 100;
// Sizes: a title fits a mail subject line; the spec is checkpointed and sent in every callback.
constexpr size_t kMaxTitleBytes = 200;
constexpr size_t kMaxDescriptionBytes = 8000;
constexpr size_t kMaxApprovers = 100;
constexpr size_t kMaxPayloadBytes = 32 * 1024;

Status Bad(const std::string& field, const std::string& what) {
  return InvalidArgument(field + " " + what);
}

// Reads an optional string member (absent or null = unset).
Status OptString(const Json& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Bad(key, "must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReqNonEmptyString(const Json& o, const char* key, std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Bad(key, "is required");
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Bad(key, "must be a non-empty string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

// Reads an optional integer member; JSON floats with a fraction are rejected.
Status OptInt(const Json& o, const char* key, const std::string& path, int64_t* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Status::Ok();
  if (it->is_number_integer()) {
    if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)) {
      return Bad(path, "is out of range");
    }
    *out = it->get<int64_t>();
    return Status::Ok();
  }
  if (it->is_number_float()) {
    double d = it->get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d)) && d > -9e15 && d < 9e15) {
      *out = static_cast<int64_t>(d);
      return Status::Ok();
    }
  }
  return Bad(path, "must be an integer");
}

// A list of distinct, non-empty user ids.
Status UserList(const Json& o, const char* key, const std::string& path,
                std::vector<std::string>* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return Bad(path, "must be an array of user ids");
  std::set<std::string> seen;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& v = (*it)[i];
    std::string item = path + "[" + std::to_string(i) + "]";
    if (!v.is_string() || v.get<std::string>().empty()) {
      return Bad(item, "must be a non-empty string");
    }
    if (!seen.insert(v.get<std::string>()).second) {
      return Bad(item, "repeats \"" + v.get<std::string>() + "\"");
    }
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

}  // namespace

std::string ToString(ApprovalStatus status) {
  switch (status) {
    case ApprovalStatus::kPending:
      return "pending";
    case ApprovalStatus::kApproved:
      return "approved";
    case ApprovalStatus::kRejected:
      return "rejected";
    case ApprovalStatus::kExpired:
      return "expired";
    case ApprovalStatus::kCancelled:
      return "cancelled";
  }
  return "pending";
}

std::optional<ApprovalStatus> StatusFromString(const std::string& text) {
  for (ApprovalStatus s :
       {ApprovalStatus::kPending, ApprovalStatus::kApproved, ApprovalStatus::kRejected,
        ApprovalStatus::kExpired, ApprovalStatus::kCancelled}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

std::string ToString(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kRequest:
      return "request";
    case NotificationKind::kReminder:
      return "reminder";
    case NotificationKind::kEscalation:
      return "escalation";
    case NotificationKind::kOutcome:
      return "outcome";
  }
  return "request";
}

std::string FormatTimeMs(int64_t ms) { return FormatDateTimeMs(ms); }

std::optional<int64_t> ParseTimeMs(const std::string& s) { return ParseDateTimeMs(s); }

Json ToJson(const ApprovalSpec& spec) {
  Json j = Json::object();
  j["title"] = spec.title;
  j["description"] = spec.description;
  j["requester"] = spec.requester;
  j["approvers"] = spec.approvers;
  j["quorum"] = spec.quorum;
  j["timeout_seconds"] = spec.timeout_seconds;
  j["reminder_interval_seconds"] = spec.reminder_interval_seconds;
  j["escalation"] = {{"after_seconds", spec.escalation.after_seconds},
                     {"approvers", spec.escalation.approvers}};
  j["payload"] = spec.payload;
  return j;
}

Result<ApprovalSpec> SpecFromJson(const Json& json) {
  if (!json.is_object()) return InvalidArgument("approval spec must be a JSON object");
  ApprovalSpec spec;
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "title", &spec.title));
  if (spec.title.size() > kMaxTitleBytes) {
    return Bad("title", "must be at most " + std::to_string(kMaxTitleBytes) + " bytes");
  }
  DURABLE_RETURN_IF_ERROR(OptString(json, "description", &spec.description));
  if (spec.description.size() > kMaxDescriptionBytes) {
    return Bad("description", "must be at most " + std::to_string(kMaxDescriptionBytes) + " bytes");
  }
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "requester", &spec.requester));
  DURABLE_RETURN_IF_ERROR(UserList(json, "approvers", "approvers", &spec.approvers));
  if (spec.approvers.empty()) return Bad("approvers", "must name at least one approver");
  if (spec.approvers.size() > kMaxApprovers) {
    return Bad("approvers", "must name at most " + std::to_string(kMaxApprovers) + " approvers");
  }

  int64_t quorum = spec.quorum;
  DURABLE_RETURN_IF_ERROR(OptInt(json, "quorum", "quorum", &quorum));
  if (quorum < 1 || quorum > static_cast<int64_t>(spec.approvers.size())) {
    return Bad("quorum", "must be between 1 and the number of approvers (" +
                             std::to_string(spec.approvers.size()) + ")");
  }
  spec.quorum = static_cast<int>(quorum);

  DURABLE_RETURN_IF_ERROR(
      OptInt(json, "timeout_seconds", "timeout_seconds", &spec.timeout_seconds));
  if (spec.timeout_seconds <= 0) return Bad("timeout_seconds", "must be greater than 0");
  if (spec.timeout_seconds > kMaxTimeoutSeconds) {
    return Bad("timeout_seconds", "must be at most " + std::to_string(kMaxTimeoutSeconds));
  }

  DURABLE_RETURN_IF_ERROR(OptInt(json, "reminder_interval_seconds", "reminder_interval_seconds",
                                 &spec.reminder_interval_seconds));
  if (spec.reminder_interval_seconds < 0) {
    return Bad("reminder_interval_seconds", "must not be negative");
  }
  if (spec.reminder_interval_seconds > 0 &&
      (spec.timeout_seconds - 1) / spec.reminder_interval_seconds > kMaxReminders) {
    return Bad("reminder_interval_seconds", "is too short: at most " +
                                                std::to_string(kMaxReminders) +
                                                " reminders fit before the timeout");
  }

  auto esc = json.find("escalation");
  if (esc != json.end() && !esc->is_null()) {
    if (!esc->is_object()) return Bad("escalation", "must be an object");
    DURABLE_RETURN_IF_ERROR(
        OptInt(*esc, "after_seconds", "escalation.after_seconds", &spec.escalation.after_seconds));
    if (spec.escalation.after_seconds < 0) {
      return Bad("escalation.after_seconds", "must not be negative");
    }
    DURABLE_RETURN_IF_ERROR(
        UserList(*esc, "approvers", "escalation.approvers", &spec.escalation.approvers));
    if (spec.escalation.after_seconds > 0) {
      if (spec.escalation.approvers.empty()) {
        return Bad("escalation.approvers",
                   "must name at least one approver when "
                   "escalation.after_seconds is set");
      }
      if (spec.escalation.after_seconds >= spec.timeout_seconds) {
        return Bad("escalation.after_seconds", "must be less than timeout_seconds");
      }
    }
  }

  auto payload = json.find("payload");
  if (payload != json.end() && !payload->is_null()) {
    if (!payload->is_object()) return Bad("payload", "must be a JSON object");
    if (payload->dump(-1, ' ', false, Json::error_handler_t::replace).size() > kMaxPayloadBytes) {
      return Bad("payload",
                 "must be at most " + std::to_string(kMaxPayloadBytes) + " bytes as JSON");
    }
    spec.payload = *payload;
  }
  return spec;
}

Json ToJson(const Decision& decision) {
  return Json{{"approver", decision.approver},
              {"decision", decision.decision},
              {"comment", decision.comment},
              {"at", FormatTimeMs(decision.at_ms)},
              {"via", decision.via}};
}

Result<Decision> DecisionFromJson(const Json& json) {
  if (!json.is_object()) return InvalidArgument("decision must be a JSON object");
  Decision d;
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "approver", &d.approver));
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "decision", &d.decision));
  if (d.decision != "approve" && d.decision != "reject") {
    return Bad("decision", "must be \"approve\" or \"reject\"");
  }
  DURABLE_RETURN_IF_ERROR(OptString(json, "comment", &d.comment));
  DURABLE_RETURN_IF_ERROR(OptString(json, "via", &d.via));
  auto at = json.find("at");
  if (at != json.end() && !at->is_null()) {
    if (at->is_string()) {
      auto ms = ParseTimeMs(at->get<std::string>());
      if (!ms) return Bad("at", "must be an RFC 3339 UTC time");
      d.at_ms = *ms;
    } else {
      DURABLE_RETURN_IF_ERROR(OptInt(json, "at", "at", &d.at_ms));
    }
  }
  return d;
}

Json ToJson(const ApprovalResult& result) {
  Json decisions = Json::array();
  for (const auto& d : result.decisions) decisions.push_back(ToJson(d));
  return Json{{"approval_id", result.approval_id},
              {"status", ToString(result.status)},
              {"decisions", decisions}};
}

Result<ApprovalResult> ResultFromJson(const Json& json) {
  if (!json.is_object()) return InvalidArgument("approval result must be a JSON object");
  ApprovalResult r;
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "approval_id", &r.approval_id));
  std::string status;
  DURABLE_RETURN_IF_ERROR(ReqNonEmptyString(json, "status", &status));
  auto parsed = StatusFromString(status);
  if (!parsed) return Bad("status", "has unknown value \"" + status + "\"");
  r.status = *parsed;
  auto ds = json.find("decisions");
  if (ds != json.end() && !ds->is_null()) {
    if (!ds->is_array()) return Bad("decisions", "must be an array");
    for (size_t i = 0; i < ds->size(); ++i) {
      if (!(*ds)[i].is_object()) {
        return Bad("decisions[" + std::to_string(i) + "]", "must be an object");
      }
      auto d = DecisionFromJson((*ds)[i]);
      if (!d.ok()) {
        return InvalidArgument("decisions[" + std::to_string(i) + "]." + d.status().message());
      }
      r.decisions.push_back(std::move(d).value());
    }
  }
  return r;
}

}  // namespace durable::approvals
