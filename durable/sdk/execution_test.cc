#include "durable/sdk/execution.h"

#include <gtest/gtest.h>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationType;
using testing::Harness;

TEST(ExecutionTest, RejectsEnvelopeWithoutArnOrToken) {
  Harness h;
  model::InvocationInput in;
  auto out = RunDurableInvocation([](DurableContext&, const Json&) { return Json(); }, in, h.client,
                                  h.options);
  EXPECT_FALSE(out.ok());
}

TEST(ExecutionTest, AbsentInputPayloadIsAnEmptyObject) {
  Harness h;
  Json seen;
  auto out = h.Invoke(
      [&](DurableContext&, const Json& e) {
        seen = e;
        return Json(1);
      },
      h.client.Start(std::nullopt));
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(seen, Json::object());
}

TEST(ExecutionTest, PagesTheInitialStateBeforeRunningTheHandler) {
  Harness h;
  int runs = 0;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    for (int i = 0; i < 3; ++i) ctx.Step("s", [&] { return ++runs; });
    ctx.Wait(std::chrono::seconds(1));
    return Json(runs);
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  h.client.SetEnvelopePageSize(2);
  auto next = h.client.NextInvocation();
  EXPECT_EQ(next.initial_execution_state.operations.size(), 2u);
  auto out = h.Invoke(handler, next);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "3");
  EXPECT_EQ(runs, 3);
  EXPECT_GE(h.client.state_calls(), 1);
}

TEST(ExecutionTest, UserErrorFailsTheExecutionWithItsType) {
  Harness h;
  auto out = h.Start([](DurableContext&, const Json&) -> Json {
    throw UserError("ValidationError", "bad input", "{\"field\":\"x\"}");
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_type, "ValidationError");
  EXPECT_EQ(out.error->error_message, "bad input");
  EXPECT_EQ(out.error->error_data, "{\"field\":\"x\"}");
}

TEST(ExecutionTest, LargeResultIsCheckpointedAsExecutionSucceed) {
  Harness h;
  h.options.max_result_bytes = 100;
  std::string big(500, 'z');
  auto out = h.Start([&](DurableContext&, const Json&) { return Json(big); });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(out.result, "");
  auto last = h.AllUpdates().back();
  EXPECT_EQ(last.type, OperationType::kExecution);
  EXPECT_EQ(last.action, model::OperationAction::kSucceed);
  EXPECT_EQ(last.id.size(), 16u);
  EXPECT_EQ(h.client.checkpointed_result(), "\"" + big + "\"");
}

TEST(ExecutionTest, StaleTokenIsAnInvocationError) {
  Harness h;
  auto in = h.client.Start("{}");
  h.client.NextInvocation();  // a newer invocation supersedes `in`
  auto out = RunDurableInvocation(
      [](DurableContext& ctx, const Json&) { return ctx.Step("s", [] { return 1; }); }, in,
      h.client, h.options);
  ASSERT_FALSE(out.ok());
}

TEST(ExecutionTest, ServerErrorsAreInvocationErrorsAndOther4xxFailTheExecution) {
  Handler handler = [](DurableContext& ctx, const Json&) {
    return ctx.Step("s", [] { return 1; });
  };
  {
    Harness h;
    for (int i = 0; i < 3; ++i) h.client.FailNextCheckpoint(Internal("boom"));
    auto out = RunDurableInvocation(handler, h.client.Start("{}"), h.client, h.options);
    EXPECT_FALSE(out.ok());
  }
  {
    Harness h;
    h.client.FailNextCheckpoint(Unavailable("slow down"));  // retried, then accepted
    auto out = RunDurableInvocation(handler, h.client.Start("{}"), h.client, h.options);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->status, InvocationStatus::kSucceeded);
  }
  {
    Harness h;
    h.client.FailNextCheckpoint(InvalidArgument("Inconsistent operation name."));
    auto out = RunDurableInvocation(handler, h.client.Start("{}"), h.client, h.options);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->status, InvocationStatus::kFailed);
    EXPECT_EQ(out->error->error_type, "CheckpointError");
  }
}

}  // namespace
}  // namespace durable::sdk
