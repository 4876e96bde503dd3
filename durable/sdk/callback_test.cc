#include <gtest/gtest.h>

#include <stdexcept>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationType;
using testing::Harness;

TEST(CallbackTest, ReturnsEngineAssignedIdAndAwaitsTheResult) {
  Harness h;
  std::string seen_id;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    auto cb = ctx.CreateCallback<Json>("approval", {.timeout_seconds = 300});
    seen_id = cb.callback_id();
    return cb.Await();
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  ASSERT_FALSE(seen_id.empty());
  auto start = h.AllUpdates().front();
  EXPECT_EQ(start.type, OperationType::kCallback);
  EXPECT_EQ(start.callback_options->timeout_seconds, 300);
  EXPECT_FALSE(start.callback_options->heartbeat_timeout_seconds.has_value());
  std::string first_id = seen_id;
  ASSERT_TRUE(h.client.SucceedCallback(seen_id, "{\"ok\":true}").ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result)["ok"], true);
  EXPECT_EQ(seen_id, first_id);
  EXPECT_EQ(h.client.requests().size(), 1u);  // replay sends nothing new
}

TEST(CallbackTest, FailureAndTimeoutRaiseCallbackError) {
  for (bool timeout : {false, true}) {
    Harness h;
    Handler handler = [&](DurableContext& ctx, const Json&) {
      auto cb = ctx.CreateCallback<Json>("approval");
      try {
        return cb.Await();
      } catch (const CallbackError& e) {
        return Json(e.error_type() + ":" + e.error_message());
      }
    };
    ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
    auto id = *h.client.operations()[1].callback_details->callback_id;
    if (timeout) {
      ASSERT_TRUE(h.client.TimeOutCallback(id, "Callback.Timeout").ok());
    } else {
      ASSERT_TRUE(h.client.FailCallback(id, {"RejectedError", "not approved", {}, {}}).ok());
    }
    auto out = h.Next(handler);
    ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
    EXPECT_EQ(testing::Parse(out.result),
              timeout ? "Callback.Timeout:Callback timed out" : "RejectedError:not approved");
  }
}

TEST(CallbackTest, UncaughtCallbackFailureFailsExecutionWithItsMessage) {
  Harness h;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    return ctx.CreateCallback<Json>("approval").Await();
  };
  h.Start(handler);
  auto id = *h.client.operations()[1].callback_details->callback_id;
  ASSERT_TRUE(h.client.FailCallback(id, {"RejectedError", "not approved", {}, {}}).ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message, "not approved");
}

TEST(CallbackTest, WaitForCallbackNestsCallbackAndSubmitterInAContext) {
  Harness h;
  std::vector<std::string> submitted;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    return ctx.WaitForCallback<Json>(
        "approve", [&](const std::string& id, StepContext&) { submitted.push_back(id); },
        {.timeout_seconds = 60});
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  ASSERT_EQ(submitted.size(), 1u);
  auto ops = h.client.operations();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[1].type, OperationType::kContext);
  EXPECT_EQ(ops[1].sub_type, "WaitForCallback");
  EXPECT_EQ(ops[1].name, "approve");
  EXPECT_EQ(ops[2].id, HashOperationId("1-1"));
  EXPECT_EQ(ops[2].type, OperationType::kCallback);
  EXPECT_EQ(ops[2].parent_id, ops[1].id);
  EXPECT_EQ(ops[3].id, HashOperationId("1-2"));
  EXPECT_EQ(ops[3].type, OperationType::kStep);
  ASSERT_TRUE(h.client.SucceedCallback(submitted[0], "\"yes\"").ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"yes\"");
  EXPECT_EQ(submitted.size(), 1u);  // submitter not re-run
  EXPECT_EQ(h.client.operation(ops[1].id)->status, model::OperationStatus::kSucceeded);
}

TEST(CallbackTest, WaitForCallbackFailureIsCatchableAsCallbackError) {
  Harness h;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    try {
      return ctx.WaitForCallback<Json>("w", [](const std::string&, StepContext&) {});
    } catch (const CallbackError& e) {
      return Json("recovered");
    }
  };
  h.Start(handler);
  std::string id;
  for (const auto& op : h.client.operations()) {
    if (op.callback_details) id = *op.callback_details->callback_id;
  }
  ASSERT_TRUE(h.client.FailCallback(id, {"Rejected", "no", {}, {}}).ok());
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"recovered\"");
  auto ctx_op = h.client.operation(HashOperationId("1"));
  EXPECT_EQ(ctx_op->status, model::OperationStatus::kFailed);
}

}  // namespace
}  // namespace durable::sdk

namespace durable::sdk {
namespace {

TEST(CallbackTest, WaitForCallbackFailsWhenTheSubmitterExhaustsItsRetries) {
  testing::Harness h;
  int submits = 0;
  auto out = h.RunToEnd([&](DurableContext& ctx, const Json&) {
    return ctx.WaitForCallback<Json>("w",
                                     [&](const std::string&, StepContext&) {
                                       ++submits;
                                       throw std::runtime_error("cannot submit");
                                     },
                                     {.retry_strategy = [](const model::ErrorObject&, int attempt) {
                                       return RetryDecision{attempt < 2, 1};
                                     }});
  });
  ASSERT_EQ(out.status, model::InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message, "cannot submit");
  EXPECT_EQ(submits, 2);
  EXPECT_EQ(h.client.operation(HashOperationId("1"))->status, model::OperationStatus::kFailed);
}

}  // namespace
}  // namespace durable::sdk
