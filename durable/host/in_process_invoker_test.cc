#include "durable/host/in_process_invoker.h"

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>
#include <thread>

#include "durable/base/after_reply.h"
#include "durable/host/composite_invoker.h"

namespace durable::host {
namespace {

engine::InvocationResult Succeed(std::string result) {
  engine::InvocationResult r;
  model::InvocationOutput out;
  out.status = model::InvocationStatus::kSucceeded;
  out.result = std::move(result);
  r.output = out;
  return r;
}

engine::InvocationResult InvokeAndWait(engine::Invoker& invoker, const std::string& fn) {
  std::promise<engine::InvocationResult> promise;
  engine::InvocationRequest request;
  request.function_name = fn;
  request.request_id = "req-1";
  request.input.durable_execution_arn = "arn:x";
  invoker.Invoke(request, [&](engine::InvocationResult r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

TEST(InProcessInvokerTest, RunsTheHandlerMappedToTheFunction) {
  InProcessInvoker invoker(2);
  invoker.Register("greet", [](const engine::InvocationRequest& r) {
    return Succeed("\"" + r.function_name + ":" + r.request_id + ":" +
                   r.input.durable_execution_arn + "\"");
  });
  invoker.AddFunction("Greeter", "greet");
  EXPECT_TRUE(invoker.Has("Greeter"));
  EXPECT_TRUE(invoker.Has("greet"));  // a handler's own name works too
  EXPECT_FALSE(invoker.Has("Other"));
  auto r = InvokeAndWait(invoker, "Greeter");
  ASSERT_TRUE(r.output.has_value());
  EXPECT_EQ(r.output->result.value_or(""), "\"Greeter:req-1:arn:x\"");
}

TEST(InProcessInvokerTest, HandlerExceptionsAndMissingHandlersAreFunctionErrors) {
  InProcessInvoker invoker(1);
  invoker.Register("boom", [](const engine::InvocationRequest&) -> engine::InvocationResult {
    throw std::runtime_error("kaboom");
  });
  auto r = InvokeAndWait(invoker, "boom");
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Runtime.HandlerException");
  EXPECT_EQ(r.function_error->error_message.value_or(""), "kaboom");
  auto missing = InvokeAndWait(invoker, "nothing");
  ASSERT_TRUE(missing.function_error.has_value());
  EXPECT_EQ(missing.function_error->error_type.value_or(""), "ResourceNotFoundException");
}

TEST(InProcessInvokerTest, InvokeAfterShutdownFailsInsteadOfHanging) {
  InProcessInvoker invoker(1);
  invoker.Register("f", [](const engine::InvocationRequest&) { return Succeed("1"); });
  invoker.Shutdown();
  auto r = InvokeAndWait(invoker, "f");
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Sandbox.Shutdown");
}

// A resume started by a request whose reply does not wait for it runs on the request's thread
// after the reply (no wake-up of a worker); anything else runs on a worker.
TEST(InProcessInvokerTest, RunsOnTheCallingThreadAfterItsReplyWhereAllowed) {
  InProcessInvoker invoker(2);
  std::thread::id ran_on;
  invoker.Register("f", [&](const engine::InvocationRequest&) {
    ran_on = std::this_thread::get_id();
    return Succeed("1");
  });
  engine::InvocationRequest request;
  request.function_name = "f";
  bool done = false;
  {
    after_reply::Runner runner;
    {
      after_reply::Allow allow;
      invoker.Invoke(request, [&](engine::InvocationResult r) {
        EXPECT_TRUE(r.output.has_value());
        done = true;
      });
    }
    EXPECT_FALSE(done);  // not before the reply
    runner.RunAll();
    EXPECT_TRUE(done);
    EXPECT_EQ(ran_on, std::this_thread::get_id());
  }
  {
    after_reply::Runner runner;  // a Runner without Allow (e.g. a synchronous Invoke's handler)
    EXPECT_TRUE(InvokeAndWait(invoker, "f").output.has_value());
    EXPECT_NE(ran_on, std::this_thread::get_id());
  }
}

TEST(CompositeInvokerTest, AsksChildrenInOrder) {
  InProcessInvoker first(1), second(1);
  first.Register("a", [](const engine::InvocationRequest&) { return Succeed("\"first\""); });
  second.Register("a", [](const engine::InvocationRequest&) { return Succeed("\"second-a\""); });
  second.Register("b", [](const engine::InvocationRequest&) { return Succeed("\"second-b\""); });
  CompositeInvoker composite({&first, &second});
  EXPECT_TRUE(composite.Has("a"));
  EXPECT_TRUE(composite.Has("b"));
  EXPECT_FALSE(composite.Has("c"));
  EXPECT_EQ(InvokeAndWait(composite, "a").output->result.value_or(""), "\"first\"");
  EXPECT_EQ(InvokeAndWait(composite, "b").output->result.value_or(""), "\"second-b\"");
  auto c = InvokeAndWait(composite, "c");
  ASSERT_TRUE(c.function_error.has_value());
  EXPECT_EQ(c.function_error->error_type.value_or(""), "ResourceNotFoundException");
}

}  // namespace
}  // namespace durable::host
