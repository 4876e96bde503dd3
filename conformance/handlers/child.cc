// Suite 3 (child): child contexts — names, nesting, failures, replay of completed children,
// large results (ReplayChildren), custom serdes, logging and a crash inside a child's step.
#include <chrono>
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using std::chrono::seconds;

std::string Echo(DurableContext& c, const std::string& value) {
  return c.Step([&] { return value; });
}

std::string FailingStep(DurableContext& c, sdk::RetryStrategy retry) {
  sdk::StepConfig<std::string> config;
  config.retry_strategy = std::move(retry);
  return c.Step(
      "",
      [](StepContext& sc) -> std::string {
        Fail("step failed on attempt " + std::to_string(sc.attempt()));
      },
      config);
}

Json Child3x5(DurableContext& ctx, const Json& event) {
  try {
    ctx.RunInChildContext("", [](DurableContext& c) { return FailingStep(c, sdk::NoRetry()); });
  } catch (const sdk::ChildContextError&) {
  }
  return ctx.Step([&] { return AsString(event); });
}

Json Child3x6(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  return ctx.RunInChildContext("outer", [&](DurableContext& outer) {
    Echo(outer, input);
    return outer.RunInChildContext("inner",
                                   [&](DurableContext& inner) { return Echo(inner, input); });
  });
}

Json Child3x7(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  return ctx.RunInChildContext("retrying-child", [&](DurableContext& c) {
    sdk::StepConfig<std::string> config;
    config.retry_strategy = FixedRetry(3, 1);
    return c.Step(
        "",
        [&](StepContext& sc) {
          if (sc.attempt() < 2) Fail("first attempt fails");
          return input;
        },
        config);
  });
}

// The child's result (> 256 KiB) is checkpointed as a summary; the replay after the wait
// re-runs the child body, so its forced log line appears twice.
Json Child3x11(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  std::string large = ctx.RunInChildContext("large-result", [&](DurableContext& c) {
    c.logger().Write("INFO", "Building a large result for input: " + input, nullptr, true);
    std::string seed = c.Step([] { return std::string("x"); });
    return std::string(300 * 1024, seed[0]);
  });
  ctx.Wait(seconds(1));
  return Json{{"length", large.size()}};
}

// The first run of the step body kills the process after ContextStarted/StepStarted reached the
// engine; the re-invocation re-runs the (at-least-once) step.
Json Child3x12(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  const std::string arn = ctx.durable_execution_arn();
  return ctx.RunInChildContext("", [&](DurableContext& c) {
    return c.Step([&] {
      if (BumpAttemptCounter(arn, "3-12") == 1) {
        FlushCheckpoints(c);
        CrashProcess();
      }
      return input;
    });
  });
}

Json Child3x14(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  sdk::ChildContextConfig<std::string> config;
  config.serdes = sdk::Serdes<std::string>{[](const std::string& v) { return ToUpper(v); },
                                           [](const std::string& payload) { return payload; }};
  return ctx.RunInChildContext(
      "uppercase-child", [&](DurableContext& c) { return Echo(c, input); }, config);
}

Json Child3x17(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  std::string result = ctx.RunInChildContext("logging-child", [&](DurableContext& c) {
    c.logger().Write("INFO", "Child context logging input: " + input, nullptr, true);
    return input;
  });
  ctx.Wait(seconds(1));
  return result;
}

Json Child3x18(DurableContext& ctx, const Json& event) {
  const std::string input = AsString(event);
  std::string inner = ctx.RunInChildContext("step-and-wait", [&](DurableContext& c) {
    Echo(c, input);
    c.Wait(seconds(1));
    return input;
  });
  std::string outer = Echo(ctx, inner);
  ctx.Wait(seconds(1));
  return outer;
}

}  // namespace

void RegisterChildHandlers(Registry& r) {
  r.Add("3-1", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.RunInChildContext("", [&](DurableContext& c) { return Echo(c, AsString(event)); });
  });
  r.Add("3-2", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.RunInChildContext(AsString(event.at("name")), [&](DurableContext& c) {
      return Echo(c, AsString(event.at("value")));
    });
  });
  r.Add("3-3", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.RunInChildContext("sequential-steps", [&](DurableContext& c) {
      std::string first = Echo(c, AsString(event));
      return Echo(c, first);
    });
  });
  r.Add("3-4", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.RunInChildContext("failing-child",
                                 [](DurableContext& c) { return FailingStep(c, sdk::NoRetry()); });
  });
  r.Add("3-5", Child3x5);
  r.Add("3-6", Child3x6);
  r.Add("3-7", Child3x7);
  r.Add("3-8", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.RunInChildContext(
        "exhausting-child", [](DurableContext& c) { return FailingStep(c, FixedRetry(2, 1)); });
  });
  r.Add("3-9", [](DurableContext& ctx, const Json& event) -> Json {
    std::string result =
        ctx.RunInChildContext("", [&](DurableContext& c) { return Echo(c, AsString(event)); });
    ctx.Wait(seconds(1));
    return result;
  });
  r.Add("3-10", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.RunInChildContext("step-and-wait", [&](DurableContext& c) {
      std::string value = Echo(c, AsString(event));
      c.Wait(seconds(1));
      return value;
    });
  });
  r.Add("3-11", Child3x11);
  r.Add("3-12", Child3x12);
  r.Add("3-13", [](DurableContext& ctx, const Json& event) -> Json {
    const std::string input = AsString(event);
    std::string result = ctx.RunInChildContext("wait-only", [&](DurableContext& c) {
      c.Wait(seconds(1));
      return input;
    });
    return Echo(ctx, result);
  });
  r.Add("3-14", Child3x14);
  r.Add("3-15", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.RunInChildContext("throwing-child", [](DurableContext&) -> std::string {
      Fail("child context failed without any durable operation");
    });
  });
  r.Add("3-16", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.RunInChildContext("null-child", [](DurableContext&) { return Json(nullptr); });
  });
  r.Add("3-17", Child3x17);
  r.Add("3-18", Child3x18);
}

}  // namespace durable::conformance
