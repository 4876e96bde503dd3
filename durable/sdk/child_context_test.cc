#include <gtest/gtest.h>

#include <stdexcept>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationAction;
using model::OperationStatus;
using model::OperationType;
using testing::Harness;

TEST(ChildContextTest, ChildOperationsArePrefixedAndParented) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    return ctx.RunInChildContext("outer", [](DurableContext& outer) {
      return outer.RunInChildContext(
          "inner", [](DurableContext& inner) { return inner.Step("s", [] { return 7; }); });
    });
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "7");
  auto step = h.client.operation(HashOperationId("1-1-1"));
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->parent_id, HashOperationId("1-1"));
  auto inner = h.client.operation(HashOperationId("1-1"));
  EXPECT_EQ(inner->parent_id, HashOperationId("1"));
  EXPECT_EQ(inner->sub_type, "RunInChildContext");
  EXPECT_EQ(inner->context_details->result, "7");
  EXPECT_FALSE(h.client.operation(HashOperationId("1"))->parent_id.has_value());
}

TEST(ChildContextTest, CompletedChildIsNotRerunOnReplay) {
  Harness h;
  int runs = 0;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    auto v = ctx.RunInChildContext("c", [&](DurableContext&) {
      ++runs;
      return std::string("child");
    });
    ctx.Wait(std::chrono::seconds(1));
    return Json(v);
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"child\"");
  EXPECT_EQ(runs, 1);
}

TEST(ChildContextTest, FailureIsCheckpointedAndRaisedAsChildContextError) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    try {
      ctx.RunInChildContext(
          "bad", [](DurableContext&) -> Json { throw std::runtime_error("child broke"); });
    } catch (const ChildContextError& e) {
      return Json(e.error_message());
    }
    return Json("unreachable");
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"child broke\"");
  auto op = h.client.operation(HashOperationId("1"));
  EXPECT_EQ(op->status, OperationStatus::kFailed);
  EXPECT_EQ(op->context_details->error->error_message, "child broke");
}

TEST(ChildContextTest, LargeResultIsCheckpointedWithReplayChildrenAndRebuilt) {
  Harness h;
  int child_runs = 0, step_runs = 0;
  const std::string big(300 * 1024, 'x');
  Handler handler = [&](DurableContext& ctx, const Json&) {
    auto v = ctx.RunInChildContext("big", [&](DurableContext& c) {
      ++child_runs;
      return c.Step("make", [&] {
        ++step_runs;
        return big;
      });
    });
    ctx.Wait(std::chrono::seconds(1));
    return Json(v.size());
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  auto succeed = h.AllUpdates();
  auto it = std::find_if(succeed.begin(), succeed.end(), [](const model::OperationUpdate& u) {
    return u.type == OperationType::kContext && u.action == OperationAction::kSucceed;
  });
  ASSERT_NE(it, succeed.end());
  EXPECT_EQ(it->payload, "");
  EXPECT_EQ(it->context_options->replay_children, true);
  h.client.FireTimers(true);
  auto next = h.client.NextInvocation();
  // The children of a ReplayChildren context are kept in the envelope.
  EXPECT_EQ(next.initial_execution_state.operations.size(), 4u);
  auto out = h.Invoke(handler, next);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, std::to_string(big.size()));
  EXPECT_EQ(child_runs, 2);
  EXPECT_EQ(step_runs, 1);
}

TEST(ChildContextTest, ChildrenOfCompletedContextsArePrunedFromTheEnvelope) {
  Harness h;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    ctx.RunInChildContext("c", [](DurableContext& c) { return c.Step("s", [] { return 1; }); });
    ctx.Wait(std::chrono::seconds(1));
    return Json(1);
  };
  h.Start(handler);
  h.client.FireTimers(true);
  auto next = h.client.NextInvocation();
  EXPECT_EQ(next.initial_execution_state.operations.size(), 3u);  // EXECUTION, context, wait
  EXPECT_EQ(h.Invoke(handler, next).status, InvocationStatus::kSucceeded);
}

}  // namespace
}  // namespace durable::sdk
