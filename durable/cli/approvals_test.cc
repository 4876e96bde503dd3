// Unit tests of the offline parts of `durable approvals`: durations, the create body, token hash.
#include "durable/cli/approvals.h"

#include <gtest/gtest.h>

namespace durable::cli {
namespace {

TEST(ParseDuration, AcceptsSecondsAndUnits) {
  EXPECT_EQ(*ParseDuration("90"), 90);
  EXPECT_EQ(*ParseDuration("90s"), 90);
  EXPECT_EQ(*ParseDuration("15m"), 900);
  EXPECT_EQ(*ParseDuration("2h"), 7200);
  EXPECT_EQ(*ParseDuration("7d"), 604800);
  EXPECT_EQ(*ParseDuration("0"), 0);
}

TEST(ParseDuration, RejectsJunk) {
  for (const char* bad : {"", "-5", "5x", "m", "1.5h", "5mm", " 5", "99999999999999999999"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(BuildCreateBody, MapsFlagsToTheSpecFields) {
  ApprovalCreateArgs a;
  a.title = "Deploy";
  a.description = "v2";
  a.approvers = {"alice", "bob"};
  a.quorum = 2;
  a.timeout = "1h";
  a.reminder_every = "10m";
  a.escalate_after = "30m";
  a.escalate_to = {"carol"};
  a.payload = R"({"build": 7})";
  a.request_id = "r-1";
  auto body = BuildCreateBody(a);
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(*body, nlohmann::json::parse(R"({
    "title": "Deploy", "description": "v2", "approvers": ["alice", "bob"], "quorum": 2,
    "timeout_seconds": 3600, "reminder_interval_seconds": 600,
    "escalation": {"after_seconds": 1800, "approvers": ["carol"]},
    "payload": {"build": 7}, "request_id": "r-1"})"));
}

TEST(BuildCreateBody, RejectsBadPayloadAndHalfAnEscalation) {
  ApprovalCreateArgs a;
  a.title = "t";
  a.approvers = {"alice"};
  a.payload = "[1]";
  EXPECT_FALSE(BuildCreateBody(a).ok());
  a.payload = "{not json";
  EXPECT_FALSE(BuildCreateBody(a).ok());
  a.payload.reset();
  a.escalate_to = {"carol"};
  EXPECT_FALSE(BuildCreateBody(a).ok());
  a.escalate_after = "5s";
  EXPECT_TRUE(BuildCreateBody(a).ok());
  a.timeout = "soon";
  EXPECT_FALSE(BuildCreateBody(a).ok());
}

}  // namespace
}  // namespace durable::cli
