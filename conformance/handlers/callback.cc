// Suite 4 (callback): CreateCallback + Await — success, failure, timeouts, heartbeats, callbacks
// resolved while the handler waits on something else, custom serdes, several callbacks.
#include <chrono>
#include <ctime>
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using std::chrono::seconds;
template <typename T = Json>
using CallbackConfig = sdk::CallbackConfig<T>;

CallbackConfig<> Timeouts(int64_t timeout, int64_t heartbeat) {
  CallbackConfig<> config;
  config.timeout_seconds = timeout;
  config.heartbeat_timeout_seconds = heartbeat;
  return config;
}

// Creates a callback named from the input and returns its result.
Json AwaitNamed(DurableContext& ctx, const Json& event, CallbackConfig<> config = {}) {
  auto callback = ctx.CreateCallback(AsString(event), config);
  return callback.Await();
}

// Create, then a step, then await (4-7, 4-8).
Json StepThenAwait(DurableContext& ctx, const Json& event, CallbackConfig<> config) {
  auto callback = ctx.CreateCallback(AsString(event), config);
  ctx.Step([] { return std::string("work done while the callback is open"); });
  return callback.Await();
}

// Create, then a wait, then await (4-9 .. 4-11).
Json WaitThenAwait(DurableContext& ctx, const Json& event, int64_t wait_seconds,
                   CallbackConfig<> config) {
  auto callback = ctx.CreateCallback(AsString(event), config);
  ctx.Wait(seconds(wait_seconds));
  return callback.Await();
}

// Await with error handling, then a 2 s wait (4-13, 4-14).
Json CatchThenWait(DurableContext& ctx, const Json& event, CallbackConfig<> config) {
  auto callback = ctx.CreateCallback(AsString(event), config);
  std::string message;
  try {
    callback.Await();
    message = "callback succeeded";
  } catch (const sdk::CallbackError& e) {
    message = "callback error: " + e.error_type() + ": " + e.error_message();
  }
  ctx.Wait(seconds(2));
  return message;
}

// "2026-01-01T00:00:00.000Z" -> epoch seconds.
int64_t EpochSeconds(const std::string& iso) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) Fail("not an ISO-8601 time: " + iso);
  return static_cast<int64_t>(timegm(&tm));
}

Json Callback4x15(DurableContext& ctx, const Json& event) {
  CallbackConfig<Json> config;
  config.serdes = sdk::Serdes<Json>{
      [](const Json& v) { return v.dump(); },
      [](const std::string& payload) {
        Json raw = Json::parse(payload);
        return Json{{"id", raw.at("id")},
                    {"message", raw.at("message")},
                    {"timestamp", EpochSeconds(raw.at("timestamp").get<std::string>())}};
      }};
  auto callback = ctx.CreateCallback<Json>(AsString(event), config);
  return Json{{"received", callback.Await()}};
}

Json Callback4x16(DurableContext& ctx, const Json& event) {
  CallbackConfig<int64_t> config;
  config.serdes = sdk::Serdes<int64_t>{
      [](const int64_t& v) { return std::to_string(v); },
      [](const std::string& payload) { return static_cast<int64_t>(std::stoll(payload)); }};
  int64_t count = ctx.CreateCallback<int64_t>(AsString(event), config).Await();
  return Json{{"count", count}, {"doubled", count * 2}};
}

Json Callback4x17(DurableContext& ctx, const Json& event) {
  Json a = ctx.CreateCallback(AsString(event.at(0))).Await();
  Json b = ctx.CreateCallback(AsString(event.at(1))).Await();
  return Json{{"a", a}, {"b", b}};
}

// Creates A and B, then awaits them in the order given.
Json TwoCallbacks(DurableContext& ctx, const Json& event, bool a_first) {
  auto a = ctx.CreateCallback(AsString(event.at(0)));
  auto b = ctx.CreateCallback(AsString(event.at(1)));
  Json ra, rb;
  if (a_first) {
    ra = a.Await();
    rb = b.Await();
  } else {
    rb = b.Await();
    ra = a.Await();
  }
  return Json{{"a", ra}, {"b", rb}};
}

}  // namespace

void RegisterCallbackHandlers(Registry& r) {
  r.Add("4-1", [](DurableContext& ctx, const Json& e) { return AwaitNamed(ctx, e); });
  r.Add("4-2", [](DurableContext& ctx, const Json&) -> Json {
    return ctx.CreateCallback("approval").Await();
  });
  r.Add("4-3",
        [](DurableContext& ctx, const Json& e) { return AwaitNamed(ctx, e, Timeouts(5, 0)); });
  r.Add("4-4",
        [](DurableContext& ctx, const Json& e) { return AwaitNamed(ctx, e, Timeouts(0, 5)); });
  r.Add("4-5",
        [](DurableContext& ctx, const Json& e) { return AwaitNamed(ctx, e, Timeouts(0, 10)); });
  r.Add("4-6", [](DurableContext& ctx, const Json& e) { return AwaitNamed(ctx, e); });
  r.Add("4-7", [](DurableContext& ctx, const Json& e) { return StepThenAwait(ctx, e, {}); });
  r.Add("4-8",
        [](DurableContext& ctx, const Json& e) { return StepThenAwait(ctx, e, Timeouts(5, 0)); });
  r.Add("4-9", [](DurableContext& ctx, const Json& e) { return WaitThenAwait(ctx, e, 5, {}); });
  r.Add("4-10", [](DurableContext& ctx, const Json& e) { return WaitThenAwait(ctx, e, 5, {}); });
  r.Add("4-11", [](DurableContext& ctx, const Json& e) {
    return WaitThenAwait(ctx, e, 6, Timeouts(3, 0));
  });
  r.Add("4-12", [](DurableContext& ctx, const Json& e) -> Json {
    Json result = ctx.CreateCallback(AsString(e)).Await();
    ctx.Wait(seconds(2));
    return result;
  });
  r.Add("4-13", [](DurableContext& ctx, const Json& e) { return CatchThenWait(ctx, e, {}); });
  r.Add("4-14",
        [](DurableContext& ctx, const Json& e) { return CatchThenWait(ctx, e, Timeouts(3, 0)); });
  r.Add("4-15", Callback4x15);
  r.Add("4-16", Callback4x16);
  r.Add("4-17", Callback4x17);
  r.Add("4-18", [](DurableContext& ctx, const Json& e) { return TwoCallbacks(ctx, e, true); });
  r.Add("4-19", [](DurableContext& ctx, const Json& e) { return TwoCallbacks(ctx, e, false); });
}

}  // namespace durable::conformance
