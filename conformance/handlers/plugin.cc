// Suite 10 (plugin): small handlers run with the probe plugins of plugin_probes.h; what the
// requirements assert are the records those plugins print.
#include <chrono>
#include <string>
#include <vector>

#include "conformance/handlers/common.h"
#include "conformance/handlers/plugin_probes.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using std::chrono::seconds;

std::string Greet(const Json& event) { return "Hello, " + AsString(event) + "!"; }

Json GreetStep(DurableContext& ctx, const Json& event) {
  return ctx.Step([&] { return Greet(event); });
}

Json WaitTwoSeconds(DurableContext& ctx, const Json&) {
  ctx.Wait(seconds(2));
  return "waited";
}

// A step that fails until attempt `succeed_on` (retried every second, up to `max_attempts`).
Json FlakyStep(DurableContext& ctx, const std::string& name, int succeed_on, int max_attempts,
               std::string result) {
  sdk::StepConfig<std::string> config;
  config.retry_strategy = max_attempts > 1 ? FixedRetry(max_attempts, 1) : sdk::NoRetry();
  return ctx.Step(
      name,
      [&](StepContext& sc) {
        if (sc.attempt() < succeed_on) Fail(name.empty() ? "boom" : name + " failed");
        return result;
      },
      config);
}

Json Plugin10x1(DurableContext& ctx, const Json& event) {
  return ctx.Step([&](StepContext& sc) {
    sc.logger().Info("Greeting step running for: " + AsString(event));
    return Greet(event);
  });
}

Json Plugin10x14(DurableContext& ctx, const Json&) {
  ctx.Step([] { return std::string("task-a"); });
  sdk::StepConfig<std::string> config;
  config.retry_strategy = sdk::NoRetry();
  return ctx.Step(
      "", [](StepContext&) -> std::string { Fail("boom"); }, config);
}

Json Plugin10x18(DurableContext& ctx, const Json&) {
  sdk::ParallelConfig<Json> config;
  config.max_concurrency = 2;
  std::vector<std::function<Json(DurableContext&)>> fns = {[](DurableContext& c) -> Json {
                                                             c.Wait("short", seconds(2));
                                                             return "short-done";
                                                           },
                                                           [](DurableContext& c) -> Json {
                                                             c.Wait("long", seconds(8));
                                                             return "long-done";
                                                           }};
  return ctx.Parallel<Json>("waits", std::move(fns), config).Results();
}

Json Plugin10x23(DurableContext& ctx, const Json&) {
  sdk::ParallelConfig<Json> config;
  config.max_concurrency = 1;
  std::vector<sdk::Branch<Json>> branches = {
      {"branch-a",
       [](DurableContext& c) -> Json {
         c.Step("inner", [] { return std::string("x"); });
         c.Wait(seconds(2));
         return "a-done";
       }},
      {"branch-b", [](DurableContext&) -> Json { return "b-done"; }}};
  return ctx.Parallel<Json>("ctx", std::move(branches), config).Results();
}

}  // namespace

void RegisterPluginHandlers(Registry& r) {
  auto add = [&r](const std::string& id, sdk::Handler handler) {
    r.Add(id, std::move(handler), PluginsFor(id));
  };
  add("10-1", Plugin10x1);
  for (const char* id : {"10-2", "10-4", "10-5", "10-8", "10-17"}) add(id, GreetStep);
  add("10-3", [](DurableContext& ctx, const Json&) {
    return FlakyStep(ctx, "", 2, 3, "Operation succeeded");
  });
  for (const char* id : {"10-6", "10-9", "10-10", "10-16"}) add(id, WaitTwoSeconds);
  add("10-7", [](DurableContext& ctx, const Json&) { return FlakyStep(ctx, "", 100, 1, ""); });
  add("10-11", [](DurableContext& ctx, const Json& event) -> Json {
    return ctx.RunInChildContext("", [&](DurableContext& c) { return GreetStep(c, event); });
  });
  add("10-12", [](DurableContext& ctx, const Json&) -> Json {
    sdk::ParallelConfig<Json> config;
    config.max_concurrency = 1;
    std::vector<std::function<Json(DurableContext&)>> fns = {
        [](DurableContext&) -> Json { return "task-1"; },
        [](DurableContext&) -> Json { return "task-2"; }};
    return ctx.Parallel<Json>("parallel", std::move(fns), config).Results();
  });
  add("10-13", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Step([] { return std::string("step-a"); });
    return FlakyStep(ctx, "", 2, 3, "Operation succeeded");
  });
  add("10-14", Plugin10x14);
  add("10-15", [](DurableContext& ctx, const Json&) { return FlakyStep(ctx, "", 100, 2, ""); });
  add("10-18", Plugin10x18);
  add("10-19", [](DurableContext& ctx, const Json& event) -> Json {
    ctx.Wait(seconds(2));
    return "done-" + AsString(event);
  });
  for (const char* id : {"10-20", "10-22"}) {
    add(id, [](DurableContext& ctx, const Json&) -> Json {
      return ctx.Step("greet", [] { return std::string("task-a"); });
    });
  }
  add("10-21",
      [](DurableContext& ctx, const Json&) { return FlakyStep(ctx, "flaky", 2, 3, "ok"); });
  add("10-23", Plugin10x23);
}

}  // namespace durable::conformance
