// Tests of the approvals JSON codecs: round trips, defaults and field-naming validation errors.
#include "durable/approvals/spec.h"

#include <gtest/gtest.h>

#include "durable/approvals/backend.h"

namespace durable::approvals {
namespace {

Json ValidSpec() {
  return Json::parse(R"({
    "title": "Deploy v2", "description": "to prod", "requester": "rita",
    "approvers": ["alice", "bob", "carol"], "quorum": 2, "timeout_seconds": 3600,
    "reminder_interval_seconds": 600,
    "escalation": {"after_seconds": 1800, "approvers": ["dave"]},
    "payload": {"change": 42}
  })");
}

// The error message for `spec` with `mutate` applied; "" when it parses.
std::string ErrorOf(const std::function<void(Json&)>& mutate) {
  Json j = ValidSpec();
  mutate(j);
  auto r = SpecFromJson(j);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

TEST(SpecTest, ParsesAllFieldsAndRoundTrips) {
  auto r = SpecFromJson(ValidSpec());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const ApprovalSpec& s = *r;
  EXPECT_EQ(s.title, "Deploy v2");
  EXPECT_EQ(s.description, "to prod");
  EXPECT_EQ(s.requester, "rita");
  EXPECT_EQ(s.approvers, (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_EQ(s.quorum, 2);
  EXPECT_EQ(s.timeout_seconds, 3600);
  EXPECT_EQ(s.reminder_interval_seconds, 600);
  EXPECT_EQ(s.escalation.after_seconds, 1800);
  EXPECT_EQ(s.escalation.approvers, (std::vector<std::string>{"dave"}));
  EXPECT_EQ(s.payload["change"], 42);

  Json again = ToJson(s);
  EXPECT_EQ(again, ValidSpec());
  auto r2 = SpecFromJson(again);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(ToJson(*r2), again);
}

TEST(SpecTest, DefaultsForOptionalFields) {
  auto r = SpecFromJson(Json::parse(R"({"title":"t","requester":"r","approvers":["a"]})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->description, "");
  EXPECT_EQ(r->quorum, 1);
  EXPECT_EQ(r->timeout_seconds, 24 * 3600);
  EXPECT_EQ(r->reminder_interval_seconds, 0);
  EXPECT_EQ(r->escalation.after_seconds, 0);
  EXPECT_TRUE(r->escalation.approvers.empty());
  EXPECT_EQ(r->payload, Json::object());
}

TEST(SpecTest, IgnoresUnknownMembersAndNulls) {
  auto r = SpecFromJson(Json::parse(
      R"({"title":"t","requester":"r","approvers":["a"],"request_id":"x","payload":null,
          "escalation":null,"description":null})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->payload, Json::object());
}

TEST(SpecTest, ValidationNamesTheField) {
  EXPECT_EQ(ErrorOf([](Json& j) { j.erase("title"); }), "title is required");
  EXPECT_EQ(ErrorOf([](Json& j) { j["title"] = ""; }), "title must be a non-empty string");
  EXPECT_EQ(ErrorOf([](Json& j) { j["title"] = 5; }), "title must be a non-empty string");
  EXPECT_EQ(ErrorOf([](Json& j) { j["description"] = 5; }), "description must be a string");
  EXPECT_EQ(ErrorOf([](Json& j) { j["requester"] = ""; }), "requester must be a non-empty string");
  EXPECT_EQ(ErrorOf([](Json& j) { j.erase("approvers"); }),
            "approvers must name at least one approver");
  EXPECT_EQ(ErrorOf([](Json& j) { j["approvers"] = Json::array(); }),
            "approvers must name at least one approver");
  EXPECT_EQ(ErrorOf([](Json& j) { j["approvers"] = "alice"; }),
            "approvers must be an array of user ids");
  EXPECT_EQ(ErrorOf([](Json& j) { j["approvers"][1] = ""; }),
            "approvers[1] must be a non-empty string");
  EXPECT_EQ(ErrorOf([](Json& j) { j["approvers"][2] = "alice"; }),
            "approvers[2] repeats \"alice\"");
  EXPECT_EQ(ErrorOf([](Json& j) { j["quorum"] = 0; }),
            "quorum must be between 1 and the number of approvers (3)");
  EXPECT_EQ(ErrorOf([](Json& j) { j["quorum"] = 4; }),
            "quorum must be between 1 and the number of approvers (3)");
  EXPECT_EQ(ErrorOf([](Json& j) { j["quorum"] = 1.5; }), "quorum must be an integer");
  EXPECT_EQ(ErrorOf([](Json& j) { j["quorum"] = "2"; }), "quorum must be an integer");
  EXPECT_EQ(ErrorOf([](Json& j) { j["timeout_seconds"] = 0; }),
            "timeout_seconds must be greater than 0");
  EXPECT_EQ(ErrorOf([](Json& j) { j["timeout_seconds"] = -5; }),
            "timeout_seconds must be greater than 0");
  EXPECT_EQ(ErrorOf([](Json& j) { j["timeout_seconds"] = 400LL * 86400; }),
            "timeout_seconds must be at most 31622400");
  EXPECT_EQ(ErrorOf([](Json& j) { j["reminder_interval_seconds"] = -1; }),
            "reminder_interval_seconds must not be negative");
  EXPECT_EQ(ErrorOf([](Json& j) { j["reminder_interval_seconds"] = 1; }),
            "reminder_interval_seconds is too short: at most 100 reminders fit before the timeout");
  EXPECT_EQ(ErrorOf([](Json& j) { j["escalation"] = 3; }), "escalation must be an object");
  EXPECT_EQ(ErrorOf([](Json& j) { j["escalation"]["after_seconds"] = -1; }),
            "escalation.after_seconds must not be negative");
  EXPECT_EQ(ErrorOf([](Json& j) { j["escalation"]["approvers"] = Json::array(); }),
            "escalation.approvers must name at least one approver when "
            "escalation.after_seconds is set");
  EXPECT_EQ(ErrorOf([](Json& j) {
              j["escalation"]["approvers"] = {"x", 1};
            }),
            "escalation.approvers[1] must be a non-empty string");
  EXPECT_EQ(ErrorOf([](Json& j) { j["escalation"]["after_seconds"] = 3600; }),
            "escalation.after_seconds must be less than timeout_seconds");
  EXPECT_EQ(ErrorOf([](Json& j) { j["payload"] = Json::array(); }),
            "payload must be a JSON object");
  EXPECT_EQ(ErrorOf([](Json& j) { j["payload"] = "text"; }), "payload must be a JSON object");
  EXPECT_EQ(ErrorOf([](Json& j) { j["title"] = std::string(201, 'x'); }),
            "title must be at most 200 bytes");
  EXPECT_EQ(ErrorOf([](Json& j) { j["title"] = std::string(200, 'x'); }), "");
  EXPECT_EQ(ErrorOf([](Json& j) { j["description"] = std::string(8001, 'x'); }),
            "description must be at most 8000 bytes");
  EXPECT_EQ(ErrorOf([](Json& j) {
              j["approvers"] = Json::array();
              for (int i = 0; i < 101; ++i) j["approvers"].push_back("u" + std::to_string(i));
            }),
            "approvers must name at most 100 approvers");
  EXPECT_EQ(ErrorOf([](Json& j) {
              j["payload"] = {{"blob", std::string(40000, 'x')}};
            }),
            "payload must be at most 32768 bytes as JSON");
  // No escalation delay: approvers may be empty.
  EXPECT_EQ(ErrorOf([](Json& j) { j["escalation"] = {{"after_seconds", 0}}; }), "");
  // 99 reminders before the timeout are allowed, 102 are not.
  EXPECT_EQ(ErrorOf([](Json& j) { j["reminder_interval_seconds"] = 36; }), "");
  EXPECT_EQ(ErrorOf([](Json& j) { j["reminder_interval_seconds"] = 35; }),
            "reminder_interval_seconds is too short: at most 100 reminders fit before the timeout");
}

TEST(SpecTest, NotAnObject) {
  auto r = SpecFromJson(Json::array());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "approval spec must be a JSON object");
}

TEST(SpecTest, StatusStrings) {
  for (auto s : {ApprovalStatus::kPending, ApprovalStatus::kApproved, ApprovalStatus::kRejected,
                 ApprovalStatus::kExpired, ApprovalStatus::kCancelled}) {
    auto back = StatusFromString(ToString(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(ToString(ApprovalStatus::kCancelled), "cancelled");
  EXPECT_EQ(ToString(ApprovalStatus::kApproved), "approved");
  EXPECT_FALSE(StatusFromString("Approved").has_value());
  EXPECT_FALSE(StatusFromString("").has_value());
  EXPECT_EQ(ToString(NotificationKind::kReminder), "reminder");
  EXPECT_EQ(ToString(NotificationKind::kOutcome), "outcome");
}

TEST(SpecTest, TimesAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatTimeMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimeMs(1'764'178'800'123), "2025-11-26T17:40:00.123Z");
  EXPECT_EQ(FormatTimeMs(951'782'400'000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(ParseTimeMs("2025-11-26T17:40:00.123Z"), 1'764'178'800'123);
  EXPECT_EQ(ParseTimeMs("2025-11-26T17:40:00Z"), 1'764'178'800'000);
  EXPECT_EQ(ParseTimeMs("2000-02-29T00:00:00.5Z"), 951'782'400'500);
  EXPECT_FALSE(ParseTimeMs("2025-11-26 17:40:00Z").has_value());
  EXPECT_FALSE(ParseTimeMs("2025-11-26T17:40:00").has_value());
  EXPECT_FALSE(ParseTimeMs("2025-13-26T17:40:00Z").has_value());
  EXPECT_FALSE(ParseTimeMs("yesterday").has_value());
  // Every field is exactly its digits: no sign or padding sneaks in (sscanf used to allow both).
  EXPECT_FALSE(ParseTimeMs("2025-+1-26T17:40:00Z").has_value());
  EXPECT_FALSE(ParseTimeMs("  25-11-26T17:40:00Z").has_value());
}

TEST(SpecTest, ResultRoundTripsWithDecisions) {
  ApprovalResult r;
  r.approval_id = "apr-1";
  r.status = ApprovalStatus::kRejected;
  r.decisions.push_back({"alice", "approve", "ok", 1'764'178'800'123, "api"});
  r.decisions.push_back({"bob", "reject", "", 1'764'178'900'000, "link"});
  Json j = ToJson(r);
  EXPECT_EQ(j["status"], "rejected");
  EXPECT_EQ(j["decisions"][0]["at"], "2025-11-26T17:40:00.123Z");
  EXPECT_EQ(j["decisions"][1]["via"], "link");
  auto back = ResultFromJson(Json::parse(j.dump()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->approval_id, "apr-1");
  EXPECT_EQ(back->status, ApprovalStatus::kRejected);
  ASSERT_EQ(back->decisions.size(), 2u);
  EXPECT_EQ(back->decisions[0].approver, "alice");
  EXPECT_EQ(back->decisions[0].comment, "ok");
  EXPECT_EQ(back->decisions[0].at_ms, 1'764'178'800'123);
  EXPECT_EQ(back->decisions[1].decision, "reject");
  EXPECT_EQ(ToJson(*back), j);
}

TEST(SpecTest, ResultAndDecisionValidation) {
  auto bad_status = ResultFromJson(Json{{"approval_id", "a"}, {"status", "maybe"}});
  ASSERT_FALSE(bad_status.ok());
  EXPECT_EQ(bad_status.status().message(), "status has unknown value \"maybe\"");
  auto no_id = ResultFromJson(Json{{"status", "approved"}});
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.status().message(), "approval_id is required");
  auto bad_decision = ResultFromJson(Json::parse(
      R"({"approval_id":"a","status":"approved","decisions":[{"approver":"x","decision":"maybe"}]})"));
  ASSERT_FALSE(bad_decision.ok());
  EXPECT_EQ(bad_decision.status().message(),
            "decisions[0].decision must be \"approve\" or \"reject\"");
  auto bad_time =
      DecisionFromJson(Json{{"approver", "x"}, {"decision", "approve"}, {"at", "not a time"}});
  ASSERT_FALSE(bad_time.ok());
  EXPECT_EQ(bad_time.status().message(), "at must be an RFC 3339 UTC time");
  auto no_decisions = ResultFromJson(Json{{"approval_id", "a"}, {"status", "expired"}});
  ASSERT_TRUE(no_decisions.ok());
  EXPECT_TRUE(no_decisions->decisions.empty());
}

}  // namespace
}  // namespace durable::approvals
