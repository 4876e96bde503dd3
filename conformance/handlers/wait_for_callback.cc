// Suite 7 (wait_for_callback): a callback plus a submitter step inside a WaitForCallback context —
// names, failures, timeouts, heartbeats, submitter retries, nesting, sequences and payloads.
#include <chrono>
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using Config = sdk::WaitForCallbackConfig<Json>;

// The submitter would hand the callback id to an external system; here it only logs it.
void Submit(const std::string& callback_id, StepContext& sc) {
  sc.logger().Info("submitting callback " + callback_id);
}

Config Timeouts(int64_t timeout, int64_t heartbeat) {
  Config config;
  config.timeout_seconds = timeout;
  config.heartbeat_timeout_seconds = heartbeat;
  return config;
}

Json WaitNamed(DurableContext& ctx, const std::string& name, Config config = {}) {
  return ctx.WaitForCallback<Json>(name, Submit, config);
}

Json Recover(DurableContext& ctx, const Json& event, Config config, const std::string& fallback) {
  try {
    return WaitNamed(ctx, AsString(event), config);
  } catch (const sdk::DurableError&) {
    return fallback;
  }
}

Json Callback7x7(DurableContext& ctx, const Json& event) {
  Config config;
  config.retry_strategy = FixedRetry(2, 1);
  return ctx.WaitForCallback<Json>(
      AsString(event),
      [](const std::string&, StepContext& sc) {
        Fail("submitter failed on attempt " + std::to_string(sc.attempt()));
      },
      config);
}

Json Callback7x10(DurableContext& ctx, const Json& event) {
  ctx.Wait(std::chrono::seconds(1));
  ctx.Step([] { return Json{{"prepared", true}}; });
  return WaitNamed(ctx, AsString(event));
}

}  // namespace

void RegisterWaitForCallbackHandlers(Registry& r) {
  r.Add("7-1", [](DurableContext& ctx, const Json& e) { return WaitNamed(ctx, AsString(e)); });
  r.Add("7-2", [](DurableContext& ctx, const Json&) { return WaitNamed(ctx, "approval"); });
  r.Add("7-3", [](DurableContext& ctx, const Json&) { return WaitNamed(ctx, ""); });
  r.Add("7-4", [](DurableContext& ctx, const Json& e) { return WaitNamed(ctx, AsString(e)); });
  r.Add("7-5", [](DurableContext& ctx, const Json& e) {
    return WaitNamed(ctx, AsString(e), Timeouts(3, 0));
  });
  r.Add("7-6", [](DurableContext& ctx, const Json& e) { return Recover(ctx, e, {}, "recovered"); });
  r.Add("7-7", Callback7x7);
  r.Add("7-8", [](DurableContext& ctx, const Json& e) -> Json {
    return ctx.RunInChildContext("wrapper",
                                 [&](DurableContext& c) { return WaitNamed(c, AsString(e)); });
  });
  r.Add("7-9", [](DurableContext& ctx, const Json&) -> Json {
    WaitNamed(ctx, "first");
    return WaitNamed(ctx, "second");
  });
  r.Add("7-10", Callback7x10);
  r.Add("7-11", [](DurableContext& ctx, const Json& e) -> Json {
    Json payload = WaitNamed(ctx, AsString(e));
    return payload.at("status");
  });
  r.Add("7-12", [](DurableContext& ctx, const Json& e) {
    return WaitNamed(ctx, AsString(e), Timeouts(0, 5));
  });
  r.Add("7-13", [](DurableContext& ctx, const Json& e) {
    return WaitNamed(ctx, AsString(e), Timeouts(0, 10));
  });
  r.Add("7-14", [](DurableContext& ctx, const Json& e) {
    return Recover(ctx, e, Timeouts(3, 0), "timed-out-handled");
  });
  r.Add("7-15", [](DurableContext& ctx, const Json& e) { return WaitNamed(ctx, AsString(e)); });
}

}  // namespace durable::conformance
