// Suite 5 (invoke): chained invokes of the target functions (TargetEcho, TargetEchoTenant,
// TargetError, registered here too) — results, errors, names, tenants, large payloads, replay,
// child contexts and custom payload/result serdes.
#include <chrono>
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using std::chrono::seconds;

Json InvokeTarget(DurableContext& ctx, const Json& payload, const std::string& name = "") {
  return ctx.Invoke(name, TargetFunction(), payload);
}

Json Invoke5x8(DurableContext& ctx, const Json& event) {
  sdk::InvokeConfig<Json, Json> config;
  config.tenant_id = AsString(event.at("tenantId"));
  return ctx.Invoke("", TargetFunction(), event.at("payload"), config);
}

Json Invoke5x10(DurableContext& ctx, const Json&) {
  std::string outcome;
  try {
    InvokeTarget(ctx, Json{{"reason", "expected to fail"}});
    outcome = "unexpected success";
  } catch (const sdk::InvokeError& e) {
    outcome = "caught: " + e.error_message();
  }
  ctx.Wait(seconds(1));
  return outcome;
}

// Upper-cases every string in a JSON value (the payload stays valid JSON).
Json UpperStrings(const Json& v) {
  if (v.is_string()) return ToUpper(v.get<std::string>());
  if (!v.is_structured()) return v;
  Json out = v;
  for (auto& item : out) item = UpperStrings(item);
  return out;
}

Json Invoke5x15(DurableContext& ctx, const Json& event) {
  sdk::InvokeConfig<Json, Json> config;
  config.payload_serdes =
      sdk::Serdes<Json>{[](const Json& v) { return UpperStrings(v).dump(); },
                        [](const std::string& payload) { return Json::parse(payload); }};
  return ctx.Invoke("", TargetFunction(), event, config);
}

// The result deserializer upper-cases the raw payload text without parsing it, so the echoed
// "\"hello\"" becomes the 7-character string "\"HELLO\"".
Json Invoke5x16(DurableContext& ctx, const Json& event) {
  sdk::InvokeConfig<Json, std::string> config;
  config.result_serdes =
      sdk::Serdes<std::string>{[](const std::string& v) { return v; },
                               [](const std::string& payload) { return ToUpper(payload); }};
  return ctx.Invoke<std::string, Json>("", TargetFunction(), event, config);
}

}  // namespace

void RegisterInvokeHandlers(Registry& r) {
  // Targets (no requirement id): durable functions that echo their input or fail.
  r.Add("TargetEcho", [](DurableContext&, const Json& event) { return event; });
  r.Add("TargetEchoTenant", [](DurableContext&, const Json& event) { return event; });
  r.Add("TargetError", [](DurableContext&, const Json&) -> Json {
    throw sdk::UserError("TargetError", "target function failed on purpose");
  });

  r.Add("5-1", [](DurableContext& ctx, const Json& e) { return InvokeTarget(ctx, e); });
  r.Add("5-2", [](DurableContext& ctx, const Json& e) {
    return InvokeTarget(ctx, e.at("payload"), AsString(e.at("name")));
  });
  r.Add("5-3", [](DurableContext& ctx, const Json& e) { return InvokeTarget(ctx, e); });
  r.Add("5-4", [](DurableContext& ctx, const Json& e) { return InvokeTarget(ctx, e); });
  r.Add("5-5", [](DurableContext& ctx, const Json& e) { return InvokeTarget(ctx, e); });
  r.Add("5-6", [](DurableContext& ctx, const Json& e) -> Json {
    try {
      return InvokeTarget(ctx, e);
    } catch (const sdk::InvokeError& error) {
      return Json{{"fallback", true}, {"error", error.error_message()}};
    }
  });
  r.Add("5-7", [](DurableContext& ctx, const Json&) -> Json {
    Json echoed = InvokeTarget(ctx, Json{{"data", std::string(200000, 'a')}});
    return Json{{"receivedLength", echoed.at("data").get<std::string>().size()}};
  });
  r.Add("5-8", Invoke5x8);
  r.Add("5-9", [](DurableContext& ctx, const Json& e) -> Json {
    Json result = InvokeTarget(ctx, e);
    ctx.Wait(seconds(1));
    return result;
  });
  r.Add("5-10", Invoke5x10);
  r.Add("5-11", [](DurableContext& ctx, const Json&) -> Json {
    std::string value = ctx.Step([] { return std::string("step-result"); });
    return InvokeTarget(ctx, value);
  });
  r.Add("5-12", [](DurableContext& ctx, const Json&) -> Json {
    Json echoed = InvokeTarget(ctx, Json{{"value", "from-invoke"}});
    return ctx.Step([&] { return Json{{"processed", echoed}}; });
  });
  r.Add("5-13", [](DurableContext& ctx, const Json& e) -> Json {
    return ctx.RunInChildContext("", [&](DurableContext& c) { return InvokeTarget(c, e); });
  });
  r.Add("5-14", [](DurableContext& ctx, const Json&) -> Json {
    Json first = ctx.Invoke("", TargetFunction("TARGET_FUNCTION_NAME_1"), Json("first"));
    Json second = ctx.Invoke("", TargetFunction("TARGET_FUNCTION_NAME_2"), Json("second"));
    return Json::array({first, second});
  });
  r.Add("5-15", Invoke5x15);
  r.Add("5-16", Invoke5x16);
}

}  // namespace durable::conformance
