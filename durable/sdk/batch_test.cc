#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationStatus;
using model::OperationType;
using testing::Harness;

std::function<Json(DurableContext&)> Ok(std::string v) {
  return [v](DurableContext& c) { return c.Step("", [v] { return v; }); };
}
std::function<Json(DurableContext&)> Fail(std::string m) {
  return [m](DurableContext&) -> Json { throw std::runtime_error(m); };
}

TEST(ParallelTest, SequentialBranchesProduceNestedContextsInOrder) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    auto r = ctx.Parallel<Json>("parallel", {Ok("task-1"), Ok("task-2")}, {.max_concurrency = 1});
    return Json(r.Results());
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result), Json({"task-1", "task-2"}));
  auto ops = h.client.operations();
  ASSERT_EQ(ops.size(), 6u);
  EXPECT_EQ(ops[1].sub_type, "Parallel");
  EXPECT_EQ(ops[2].sub_type, "ParallelBranch");
  EXPECT_EQ(ops[2].id, HashOperationId("1-1"));
  EXPECT_EQ(ops[2].name, "parallel-branch-0");
  EXPECT_EQ(ops[2].parent_id, ops[1].id);
  EXPECT_EQ(ops[3].parent_id, ops[2].id);
  EXPECT_EQ(ops[4].id, HashOperationId("1-2"));
  EXPECT_EQ(ops[1].status, OperationStatus::kSucceeded);
}

TEST(ParallelTest, FailFastStopsStartingBranches) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    auto r =
        ctx.Parallel<Json>("failfast", {Ok("ok"), Fail("bad"), Ok("never")},
                           {.max_concurrency = 1, .completion = {.tolerated_failure_count = 0}});
    return Json{{"reason", ToString(r.completion_reason())},
                {"status", r.status()},
                {"ok", r.success_count()},
                {"failed", r.failure_count()},
                {"total", r.total_count()}};
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  auto r = testing::Parse(out.result);
  EXPECT_EQ(r["reason"], "FAILURE_TOLERANCE_EXCEEDED");
  EXPECT_EQ(r["status"], "FAILED");
  EXPECT_EQ(r["ok"], 1);
  EXPECT_EQ(r["failed"], 1);
  EXPECT_EQ(r["total"], 2);
  EXPECT_FALSE(h.client.operation(HashOperationId("1-3")).has_value());
  EXPECT_EQ(h.client.operation(HashOperationId("1"))->status, OperationStatus::kSucceeded);
}

TEST(ParallelTest, MinSuccessfulStopsEarlyAndPercentageAtToleranceDoesNot) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    auto a = ctx.Parallel<Json>("min", {Ok("1"), Ok("2"), Ok("3")},
                                {.max_concurrency = 1, .completion = {.min_successful = 2}});
    auto b = ctx.Parallel<Json>(
        "pct", {Fail("x"), Ok("2"), Ok("3"), Ok("4")},
        {.max_concurrency = 1, .completion = {.tolerated_failure_percentage = 25}});
    return Json{ToString(a.completion_reason()), a.total_count(), ToString(b.completion_reason()),
                b.total_count()};
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result), Json({"MIN_SUCCESSFUL_REACHED", 2, "ALL_COMPLETED", 4}));
}

TEST(ParallelTest, ZeroMaxConcurrencyFailsBeforeAnyCheckpoint) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    ctx.Parallel<Json>("p", {Ok("1")}, {.max_concurrency = 0});
    return Json();
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_TRUE(h.client.requests().empty());
}

TEST(ParallelTest, BranchesRunConcurrently) {
  Harness h;
  std::atomic<int> arrived{0};
  auto barrier = [&](DurableContext&) -> Json {
    ++arrived;
    for (int i = 0; i < 2000 && arrived.load() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Json(arrived.load());
  };
  auto out = h.Start([&](DurableContext& ctx, const Json&) {
    return Json(ctx.Parallel<Json>("p", {barrier, barrier}).Results());
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result), Json({2, 2}));
}

TEST(ParallelTest, WaitingBranchSuspendsAndFinishedBranchIsNotRerun) {
  Harness h;
  std::atomic<int> fast_runs{0};
  Handler handler = [&](DurableContext& ctx, const Json&) {
    auto r = ctx.Parallel<Json>(
        "p", {[&](DurableContext& c) {
                c.Wait(std::chrono::seconds(2));
                return Json("slow");
              },
              [&](DurableContext& c) { return c.Step("f", [&] { return ++fast_runs; }); }});
    return Json(r.Results());
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.clock.AdvanceMs(2000);
  ASSERT_EQ(h.client.FireTimers(), 1);
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result), Json({"slow", 1}));
  EXPECT_EQ(fast_runs.load(), 1);
}

TEST(ParallelTest, FlatNestingParentsStepsToTheParallelContext) {
  Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    return Json(ctx.Parallel<Json>("flat", {Ok("a"), Ok("b")},
                                   {.max_concurrency = 1, .nesting = Nesting::kFlat})
                    .Results());
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  auto ops = h.client.operations();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[2].type, OperationType::kStep);
  EXPECT_EQ(ops[2].id, HashOperationId("1-1-1"));
  EXPECT_EQ(ops[2].parent_id, ops[1].id);
  EXPECT_EQ(ops[3].id, HashOperationId("1-2-1"));
}

TEST(MapTest, MapsItemsWithNamesIndexesAndReplaysFromTheBatchPayload) {
  Harness h;
  std::atomic<int> runs{0};
  Handler handler = [&](DurableContext& ctx, const Json&) {
    std::vector<Json> items = {"x", "y"};
    MapConfig<Json, Json> config;
    config.max_concurrency = 1;
    config.item_namer = [](const Json&, size_t i) { return "item-" + std::to_string(i + 1); };
    auto r = ctx.Map<Json, Json>(
        "named-items", items,
        [&](DurableContext& c, const Json& item, size_t i) {
          ++runs;
          return Json(item.get<std::string>() + std::to_string(i));
        },
        config);
    ctx.Wait(std::chrono::seconds(1));
    return Json(r.Results());
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  auto ops = h.client.operations();
  EXPECT_EQ(ops[1].sub_type, "Map");
  EXPECT_EQ(ops[1].name, "named-items");
  EXPECT_EQ(ops[2].sub_type, "MapIteration");
  EXPECT_EQ(ops[2].name, "item-1");
  h.client.FireTimers(true);
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(testing::Parse(out.result), Json({"x0", "y1"}));
  EXPECT_EQ(runs.load(), 2);
}

TEST(MapTest, LargeBatchIsSummarisedAndRebuiltFromChildren) {
  Harness h;
  std::atomic<int> runs{0};
  Handler handler = [&](DurableContext& ctx, const Json&) {
    std::vector<int> items = {1, 2, 3, 4};
    auto r = ctx.Map<std::string, int>("big", items, [&](DurableContext&, const int&, size_t) {
      ++runs;
      return std::string(70 * 1024, 'a');
    });
    ctx.Wait(std::chrono::seconds(1));
    return Json(r.success_count());
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  auto map_op = h.client.operation(HashOperationId("1"));
  EXPECT_EQ(map_op->context_details->replay_children, true);
  auto summary = testing::Parse(map_op->context_details->result);
  EXPECT_EQ(summary["type"], "MapResult");
  EXPECT_EQ(summary["successCount"], 4);
  h.client.FireTimers(true);
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "4");
  EXPECT_EQ(runs.load(), 4);
}

TEST(BatchTest, RawBatchRoundTrips) {
  RawBatchResult b;
  b.items.push_back({0, "a", BatchItemStatus::kSucceeded, "\"x\"", std::nullopt});
  b.items.push_back(
      {1, "b", BatchItemStatus::kFailed, std::nullopt, model::ErrorObject{"E", "m", {}, {}}});
  b.completion_reason = CompletionReason::kFailureToleranceExceeded;
  b.total_items = 3;
  auto parsed = ParseRawBatch(SerializeRawBatch(b));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->items.size(), 2u);
  EXPECT_EQ(parsed->items[0].payload, "\"x\"");
  EXPECT_EQ(parsed->items[1].error->error_message, "m");
  EXPECT_EQ(parsed->completion_reason, CompletionReason::kFailureToleranceExceeded);
  EXPECT_EQ(parsed->total_items, 3u);
  EXPECT_FALSE(ParseRawBatch("[1]").ok());
}

}  // namespace
}  // namespace durable::sdk

namespace durable::sdk {
namespace {

TEST(ParallelTest, ThrowIfErrorFailsTheExecutionAfterTheParentContextSucceeded) {
  testing::Harness h;
  auto out = h.Start([](DurableContext& ctx, const Json&) {
    auto r = ctx.Parallel<Json>("p", {Ok("a"), Fail("broken")}, {.max_concurrency = 1});
    r.ThrowIfError();
    return Json("unreachable");
  });
  ASSERT_EQ(out.status, model::InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message, "broken");
  EXPECT_EQ(h.client.operation(HashOperationId("1"))->status, model::OperationStatus::kSucceeded);
  EXPECT_EQ(h.client.operation(HashOperationId("1-2"))->status, model::OperationStatus::kFailed);
}

TEST(ErrorsTest, HugeErrorMessagesAreTruncatedBeforeCheckpointing) {
  auto e =
      ErrorFromException(std::make_exception_ptr(std::runtime_error(std::string(100000, 'e'))));
  EXPECT_LT(e.error_message->size(), 16u * 1024);
}

}  // namespace
}  // namespace durable::sdk
