#include "durable/sdk/logger.h"

#include <gtest/gtest.h>

#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using testing::Harness;

std::vector<std::string> Messages(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(Json::parse(l)["message"]);
  return out;
}

TEST(LoggerTest, WritesOneJsonObjectPerLineWithExecutionAndOperationFields) {
  Harness h;
  h.Start([](DurableContext& ctx, const Json&) {
    ctx.logger().Info("top", {{"k", 1}});
    return ctx.Step("greet", [](StepContext& sc) {
      sc.logger().Warn("inside");
      return 1;
    });
  });
  ASSERT_EQ(h.logs.size(), 2u);
  Json top = Json::parse(h.logs[0]);
  EXPECT_EQ(top["level"], "INFO");
  EXPECT_EQ(top["durableExecutionArn"], MemoryCheckpointClient::kDefaultArn);
  EXPECT_EQ(top["k"], 1);
  EXPECT_FALSE(top.contains("operationId"));
  Json inside = Json::parse(h.logs[1]);
  EXPECT_EQ(inside["operationName"], "greet");
  EXPECT_EQ(inside["operationId"], "c4ca4238a0b92382");
  EXPECT_EQ(inside["attempt"], 1);
  EXPECT_EQ(inside["level"], "WARN");
  EXPECT_EQ(inside["timestamp"].get<std::string>().substr(0, 2), "20");
}

TEST(LoggerTest, LinesAreSuppressedWhileReplaying) {
  Harness h;
  Handler handler = [](DurableContext& ctx, const Json&) {
    ctx.logger().Info("a");
    ctx.Step("s", [] { return 1; });
    ctx.logger().Info("b");
    ctx.Wait(std::chrono::seconds(1));
    ctx.logger().Info("c");
    return Json();
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kSucceeded);
  EXPECT_EQ(Messages(h.logs), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LoggerTest, IsoTimestampFormatsMilliseconds) {
  EXPECT_EQ(IsoTimestamp(1'769'481'309'631), "2026-01-27T02:35:09.631Z");
}

}  // namespace
}  // namespace durable::sdk
