#include "tests/functions/greeter.h"

#include <chrono>
#include <string>

namespace durable::testing {

sdk::Json Greeter(sdk::DurableContext& ctx, const sdk::Json& event) {
  std::string name = event.value("name", "world");
  std::string greeting = ctx.Step("greet", [&] { return "Hello, " + name + "!"; });
  ctx.Wait("pause", std::chrono::seconds(1));
  auto approval = ctx.CreateCallback<sdk::Json>("approval", {.timeout_seconds = 60});
  sdk::Json answer = approval.Await();
  return sdk::Json{{"greeting", greeting}, {"answer", answer}};
}

}  // namespace durable::testing
