// hello-durable: a complete durable function built with the C++ SDK. It greets the caller in a
// step, waits 5 seconds without holding the process, then creates a callback, logs its id and
// suspends until someone completes it (e.g. `durable callbacks succeed <id> '"yes"'`).
// Run it under the Lambda Runtime API: `durable serve --template examples/hello/template.yaml`
// (or as the `bootstrap` of a Lambda custom runtime).
#include <chrono>
#include <string>

#include "durable/sdk/runtime.h"

namespace {

using durable::sdk::DurableContext;
using durable::sdk::Json;

Json Hello(DurableContext& ctx, const Json& event) {
  std::string name = event.value("name", "world");
  std::string greeting = ctx.Step("greet", [&](durable::sdk::StepContext& step) {
    step.logger().Info("greeting", {{"name", name}});
    return "Hello, " + name + "!";
  });
  ctx.Wait("pause", std::chrono::seconds(5));
  Json answer = ctx.WaitForCallback<Json>(
      "confirm",
      [&](const std::string& callback_id, durable::sdk::StepContext& step) {
        step.logger().Info("complete this callback to finish", {{"callbackId", callback_id}});
      },
      {.timeout_seconds = 3600});
  return Json{{"greeting", greeting}, {"answer", answer}};
}

}  // namespace

int main() { return durable::sdk::RunLambdaRuntime({{"hello", Hello}}); }
