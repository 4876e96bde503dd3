// Suite 6 (wait_for_condition): polling a check function with a checkpointed state — counters,
// names, initial states, fixed delays, exhaustion, check errors, structured/null states, custom
// serdes, and chaining.
#include <functional>
#include <stdexcept>
#include <string>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {
namespace {

using sdk::WaitDecision;
template <typename S>
using Config = sdk::WaitForConditionConfig<S>;

// Counts from `initial` (+1 per check) until the state reaches `threshold`; polls every
// `delay` seconds.
int64_t CountUpTo(DurableContext& ctx, const std::string& name, int64_t initial, int64_t threshold,
                  int64_t delay = 1) {
  Config<int64_t> config;
  config.initial_state = initial;
  config.wait_strategy = [threshold, delay](const int64_t& state, int) {
    return WaitDecision{state < threshold, delay};
  };
  return ctx.WaitForCondition<int64_t>(
      name, [](const int64_t& state, StepContext&) { return state + 1; }, config);
}

Json Condition6x2(DurableContext& ctx, const Json& event) {
  Config<int64_t> config;
  config.initial_state = 5;
  const int64_t threshold = event.is_number() ? event.get<int64_t>() : 5;
  config.wait_strategy = [threshold](const int64_t& state, int) {
    return WaitDecision{state < threshold, 1};
  };
  return ctx.WaitForCondition<int64_t>(
      "", [](const int64_t& state, StepContext&) { return state; }, config);
}

// The strategy gives up with an error once the third check did not satisfy the condition.
Json Condition6x6(DurableContext& ctx, const Json&) {
  Config<int64_t> config;
  config.initial_state = 0;
  config.wait_strategy = [](const int64_t&, int attempt) -> WaitDecision {
    if (attempt >= 3) Fail("wait_for_condition exceeded its maximum of 3 attempts");
    return WaitDecision{true, 1};
  };
  return ctx.WaitForCondition<int64_t>(
      "", [](const int64_t& state, StepContext&) { return state + 1; }, config);
}

Json ThrowingCheck(DurableContext& ctx) {
  Config<int64_t> config;
  config.wait_strategy = [](const int64_t&, int) { return WaitDecision{true, 1}; };
  return ctx.WaitForCondition<int64_t>(
      "", [](const int64_t&, StepContext&) -> int64_t { Fail("check function failed"); }, config);
}

Json Condition6x9(DurableContext& ctx, const Json&) {
  Config<Json> config;
  config.initial_state = Json{{"status", "PENDING"}, {"attempts", 0}};
  config.wait_strategy = [](const Json& state, int) {
    return WaitDecision{state.at("status") == "PENDING", 1};
  };
  return ctx.WaitForCondition<Json>(
      "",
      [](const Json& state, StepContext&) {
        int attempts = state.at("attempts").get<int>() + 1;
        return Json{{"status", attempts >= 2 ? "DONE" : "PENDING"}, {"attempts", attempts}};
      },
      config);
}

Json Condition6x10(DurableContext& ctx, const Json&) {
  Config<Json> config;
  config.wait_strategy = [](const Json&, int) { return WaitDecision{false, 1}; };
  return ctx.WaitForCondition<Json>(
      "", [](const Json&, StepContext&) { return Json(nullptr); }, config);
}

// The state is checkpointed as "state:<value>" (not JSON) and decoded on resume.
Json Condition6x11(DurableContext& ctx, const Json&) {
  const std::string prefix = "state:";
  Config<std::string> config;
  config.serdes = sdk::Serdes<std::string>{[prefix](const std::string& v) { return prefix + v; },
                                           [prefix](const std::string& payload) {
                                             if (payload.rfind(prefix, 0) != 0)
                                               Fail("unexpected state encoding: " + payload);
                                             return payload.substr(prefix.size());
                                           }};
  config.wait_strategy = [](const std::string& state, int) {
    return WaitDecision{state.size() < 2, 1};
  };
  return ctx.WaitForCondition<std::string>(
      "", [](const std::string& state, StepContext&) { return state + "x"; }, config);
}

}  // namespace

void RegisterWaitForConditionHandlers(Registry& r) {
  r.Add("6-1", [](DurableContext& ctx, const Json& e) -> Json {
    return CountUpTo(ctx, "", 0, e.get<int64_t>());
  });
  r.Add("6-2", Condition6x2);
  r.Add("6-3", [](DurableContext& ctx, const Json& e) -> Json {
    return CountUpTo(ctx, "poll-status", 0, e.get<int64_t>());
  });
  r.Add("6-4", [](DurableContext& ctx, const Json& e) -> Json {
    return CountUpTo(ctx, "", 5, e.get<int64_t>());
  });
  r.Add("6-5", [](DurableContext& ctx, const Json& e) -> Json {
    return CountUpTo(ctx, "", 0, e.get<int64_t>(), 2);
  });
  r.Add("6-6", Condition6x6);
  r.Add("6-7", [](DurableContext& ctx, const Json&) { return ThrowingCheck(ctx); });
  r.Add("6-8", [](DurableContext& ctx, const Json&) -> Json {
    try {
      return ThrowingCheck(ctx);
    } catch (const sdk::DurableError&) {
      return "recovered";
    }
  });
  r.Add("6-9", Condition6x9);
  r.Add("6-10", Condition6x10);
  r.Add("6-11", Condition6x11);
  r.Add("6-12", [](DurableContext& ctx, const Json& e) -> Json {
    int64_t state = CountUpTo(ctx, "", 0, e.get<int64_t>());
    return ctx.Step([&] { return state * 10; });
  });
  r.Add("6-13", [](DurableContext& ctx, const Json&) -> Json {
    int64_t first = CountUpTo(ctx, "", 0, 2);
    return CountUpTo(ctx, "", first, 4);
  });
}

}  // namespace durable::conformance
