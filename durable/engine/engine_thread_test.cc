// The shell with real threads: the push-based timer loop and AwaitClosed. These use the system
// clock and a one-second wait, the shortest the protocol allows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "durable/engine/engine_test_util.h"

namespace durable::engine::testing {
namespace {

TEST(TimerThreadTest, ArmingAWaitWakesTheLoopWhichFiresItOnTime) {
  store::MemoryStore store;
  FakeInvoker invoker;
  EngineOptions options;
  options.node_id = "n1";
  auto engine = Engine::Create(&store, &invoker, SystemClock::Get(), options);
  engine->RegisterFunction({"fn", {}, 900});
  ASSERT_TRUE(engine->Start().ok());  // the loop now sleeps until the execution-timeout timer
  model::StartRequest req;
  req.function_name = "fn";
  auto started = engine->StartExecution(req);
  ASSERT_TRUE(started.ok());
  std::string arn = started->execution.arn;
  FakeInvoker::Call first = invoker.Pop();
  model::CheckpointRequest cp;
  cp.checkpoint_token = first.request.input.checkpoint_token;
  cp.updates = {WaitStart("w1", 1)};
  ASSERT_TRUE(engine->Checkpoint(arn, cp).ok());
  auto t0 = std::chrono::steady_clock::now();
  first.done({model::InvocationOutput{model::InvocationStatus::kPending, {}, {}}, std::nullopt});
  while (invoker.Pending() == 0 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(invoker.Pending(), 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
  FakeInvoker::Call second = invoker.Pop();
  EXPECT_EQ(second.request.input.updated_operation_ids->size(), 1u);
  std::thread finisher([&] {
    second.done(
        {model::InvocationOutput{model::InvocationStatus::kSucceeded, "1", {}}, std::nullopt});
  });
  auto closed = engine->AwaitClosed(arn, std::chrono::seconds(5));
  finisher.join();
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, model::ExecutionStatus::kSucceeded);
  engine->Shutdown();
}

TEST(AwaitClosedTest, ReturnsTheRunningRecordWhenTheTimeoutPasses) {
  Harness h;
  std::string arn = h.Start();
  auto ex = h.engine().AwaitClosed(arn, std::chrono::milliseconds(1));
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->status, model::ExecutionStatus::kRunning);
  EXPECT_EQ(h.engine().AwaitClosed("arn:none", std::chrono::milliseconds(1)).status().code(),
            StatusCode::kNotFound);
}

TEST(ListTest, ListsExecutionsOfAFunctionByAnyNameForm) {
  Harness h;
  h.Start("1", "a");
  h.Start("2", "b");
  model::ListRequest req;
  req.function_name = "arn:aws:lambda:us-east-1:123456789012:function:fn";
  auto listed = h.engine().ListExecutions(req);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->executions.size(), 2u);
  req.function_name = "nope";
  EXPECT_EQ(h.engine().ListExecutions(req).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace durable::engine::testing
