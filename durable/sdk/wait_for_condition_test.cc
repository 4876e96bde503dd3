#include <gtest/gtest.h>

#include <stdexcept>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationAction;
using testing::Harness;

WaitForConditionConfig<int> UntilAtLeast(int target, int initial = 0) {
  WaitForConditionConfig<int> c;
  c.initial_state = initial;
  c.wait_strategy = [target](const int& state, int) { return WaitDecision{state < target, 2}; };
  return c;
}

TEST(WaitForConditionTest, PollsWithRetryPayloadUntilTheConditionHolds) {
  Harness h;
  int checks = 0;
  Handler handler = [&](DurableContext& ctx, const Json& event) {
    return Json(ctx.WaitForCondition<int>(
        "poll",
        [&](const int& s, StepContext&) {
          ++checks;
          return s + 1;
        },
        UntilAtLeast(event.get<int>())));
  };
  auto out = h.RunToEnd(handler, "3");
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "3");
  EXPECT_EQ(checks, 3);
  EXPECT_EQ(h.invocations, 3);
  std::vector<model::OperationUpdate> retries;
  for (const auto& u : h.AllUpdates()) {
    if (u.action == OperationAction::kRetry) retries.push_back(u);
  }
  ASSERT_EQ(retries.size(), 2u);
  EXPECT_EQ(retries[0].payload, "1");
  EXPECT_EQ(retries[1].payload, "2");
  EXPECT_EQ(retries[0].step_options->next_attempt_delay_seconds, 2);
  EXPECT_FALSE(retries[0].error.has_value());
  EXPECT_EQ(retries[0].sub_type, "WaitForCondition");
  EXPECT_EQ(h.client.operation(HashOperationId("1"))->step_details->result, "3");
}

TEST(WaitForConditionTest, CustomInitialStateSeedsTheFirstCheck) {
  Harness h;
  auto out = h.RunToEnd([&](DurableContext& ctx, const Json&) {
    return Json(ctx.WaitForCondition<int>(
        "poll", [](const int& s, StepContext&) { return s + 1; }, UntilAtLeast(8, 5)));
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "8");
}

TEST(WaitForConditionTest, CheckErrorFailsTheOperation) {
  Harness h;
  auto out = h.Start([&](DurableContext& ctx, const Json&) {
    try {
      ctx.WaitForCondition<int>(
          "poll", [](const int&, StepContext&) -> int { throw std::runtime_error("nope"); },
          UntilAtLeast(1));
    } catch (const WaitForConditionError& e) {
      return Json(e.error_message());
    }
    return Json();
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"nope\"");
  EXPECT_EQ(h.AllUpdates().back().action, OperationAction::kFail);
}

TEST(WaitForConditionTest, StrategyGivingUpFailsTheExecution) {
  Harness h;
  WaitForConditionConfig<int> c;
  c.wait_strategy = [](const int&, int attempt) -> WaitDecision {
    if (attempt >= 3) throw std::runtime_error("max attempts exceeded");
    return {true, 1};
  };
  auto out = h.RunToEnd([&](DurableContext& ctx, const Json&) {
    return Json(ctx.WaitForCondition<int>(
        "poll", [](const int& s, StepContext&) { return s; }, c));
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message, "max attempts exceeded");
  EXPECT_EQ(h.invocations, 3);
}

}  // namespace
}  // namespace durable::sdk

namespace durable::sdk {
namespace {

TEST(WaitStrategyTest, FixedStrategyContinuesWithItsDelayAndGivesUpAfterMaxAttempts) {
  auto s = FixedWaitStrategy<int>([](const int& v) { return v < 10; }, 2, 3);
  auto d = s(1, 1);
  EXPECT_TRUE(d.should_continue);
  EXPECT_EQ(d.delay_seconds, 2);
  EXPECT_FALSE(s(10, 1).should_continue);
  EXPECT_THROW(s(1, 3), UserError);
}

TEST(WaitStrategyTest, DefaultStrategyBacksOffWithinBounds) {
  auto s = CreateWaitStrategy<int>([](const int&) { return true; });
  for (int attempt = 1; attempt < 10; ++attempt) {
    auto d = s(0, attempt);
    EXPECT_TRUE(d.should_continue);
    EXPECT_GE(d.delay_seconds, 1);
    EXPECT_LE(d.delay_seconds, 300);
  }
}

}  // namespace
}  // namespace durable::sdk
