#include <gtest/gtest.h>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using testing::Harness;

TEST(WaitTest, SuspendsUntilTheTimerFiresThenContinues) {
  Harness h;
  int before = 0, after = 0;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    ctx.Step("before", [&] { return ++before; });
    ctx.Wait("pause", std::chrono::seconds(30));
    ctx.Step("after", [&] { return ++after; });
    return Json("ok");
  };
  auto out = h.Start(handler);
  ASSERT_EQ(out.status, InvocationStatus::kPending);
  auto wait = h.client.operation(HashOperationId("2"));
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(wait->type, model::OperationType::kWait);
  EXPECT_EQ(wait->name, "pause");
  EXPECT_EQ(h.AllUpdates().back().wait_options->wait_seconds, 30);
  EXPECT_EQ(after, 0);
  // Re-invoked too early (e.g. another trigger): still waiting, nothing re-runs.
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  h.clock.AdvanceMs(30'000);
  ASSERT_EQ(h.client.FireTimers(), 1);
  out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
}

TEST(WaitTest, TwoSequentialWaitsNeedTwoResumptions) {
  Harness h;
  auto out = h.RunToEnd([](DurableContext& ctx, const Json&) {
    ctx.Wait("wait-1", std::chrono::seconds(2));
    ctx.Wait("wait-2", std::chrono::seconds(2));
    return Json{{"completedWaits", 2}};
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(h.invocations, 3);
  EXPECT_EQ(testing::Parse(out.result)["completedWaits"], 2);
}

TEST(WaitTest, RejectsDurationsBelowOneSecondBeforeCheckpointing) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    ctx.Wait(std::chrono::seconds(0));
    return Json();
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_TRUE(h.client.requests().empty());
}

}  // namespace
}  // namespace durable::sdk
