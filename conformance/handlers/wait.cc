// Suite 2 (wait): durable timers, named and in sequence, and duration units.
#include <chrono>

#include "conformance/handlers/common.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {

void RegisterWaitHandlers(Registry& r) {
  r.Add("2-1", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Wait(std::chrono::seconds(2));
    return "waited";
  });
  r.Add("2-2", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Wait("custom_wait_name", std::chrono::seconds(2));
    return "waited";
  });
  r.Add("2-3", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Wait("wait-1", std::chrono::seconds(2));
    ctx.Wait("wait-2", std::chrono::seconds(2));
    return Json{{"completedWaits", 2}};
  });
  r.Add("2-4", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Wait(std::chrono::minutes(1));
    return "waited one minute";
  });
  r.Add("2-5", [](DurableContext& ctx, const Json&) -> Json {
    ctx.Wait(std::chrono::hours(1));
    return "waited one hour";
  });
}

}  // namespace durable::conformance
