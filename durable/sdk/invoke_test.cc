#include <gtest/gtest.h>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationStatus;
using model::OperationType;
using testing::Harness;

TEST(InvokeTest, StartsChainedInvokeAndResumesWithItsResult) {
  Harness h;
  Handler handler = [&](DurableContext& ctx, const Json& event) {
    return ctx.Invoke<Json>("call", "target:$LATEST", event,
                            {.tenant_id = std::string("tenant-1")});
  };
  ASSERT_EQ(h.Start(handler, "{\"a\":1}").status, InvocationStatus::kPending);
  auto start = h.AllUpdates().front();
  EXPECT_EQ(start.type, OperationType::kChainedInvoke);
  EXPECT_EQ(start.sub_type, "ChainedInvoke");
  EXPECT_EQ(start.payload, "{\"a\":1}");
  EXPECT_EQ(start.chained_invoke_options->function_name, "target:$LATEST");
  EXPECT_EQ(start.chained_invoke_options->tenant_id, "tenant-1");
  ASSERT_TRUE(h.client
                  .FinishChainedInvoke(HashOperationId("1"), OperationStatus::kSucceeded,
                                       "{\"echo\":true}", std::nullopt)
                  .ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result)["echo"], true);
}

TEST(InvokeTest, FailedTargetRaisesInvokeError) {
  Harness h;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    try {
      return ctx.Invoke<Json>("call", "target", Json());
    } catch (const InvokeError& e) {
      return Json(e.error_type());
    }
  };
  h.Start(handler);
  ASSERT_TRUE(h.client
                  .FinishChainedInvoke(HashOperationId("1"), OperationStatus::kFailed, std::nullopt,
                                       model::ErrorObject{"TargetError", "x", {}, {}})
                  .ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"TargetError\"");
}

}  // namespace
}  // namespace durable::sdk
