// The durable function of the crash test (tests/e2e/crash_test.py), written with our C++ SDK and
// run as a Lambda Runtime API process. Its shape depends on the input's "kind":
//   0: twenty sequential steps;  1: step, 1 s wait, step, 1 s wait, step;  2: step, callback, step.
// Every step body that really runs appends "run <execution> <step>" to $CRASH_LOG, and after the
// step returned from a live (non-replayed) run, "acked <execution> <step>": the test checks that no
// step runs again after its checkpoint was acknowledged.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "durable/sdk/runtime.h"

namespace {

using durable::sdk::DurableContext;
using durable::sdk::Json;

void Note(const std::string& what, const std::string& execution, const std::string& step) {
  const char* path = std::getenv("CRASH_LOG");
  if (!path) return;
  std::string line = what + " " + execution + " " + step + "\n";
  if (FILE* f = std::fopen(path, "a")) {
    std::fwrite(line.data(), 1, line.size(), f);
    std::fflush(f);
    fsync(fileno(f));
    std::fclose(f);
  }
}

int TrackedStep(DurableContext& ctx, const std::string& name, int value) {
  const std::string& arn = ctx.durable_execution_arn();
  bool ran = false;
  int out = ctx.Step(name, [&] {
    ran = true;
    Note("run", arn, name);
    return value;
  });
  if (ran) Note("acked", arn, name);
  return out;
}

Json Workflow(DurableContext& ctx, const Json& event) {
  int kind = event.value("kind", 0);
  int sum = TrackedStep(ctx, "first", 1);
  if (kind == 0) {
    for (int i = 2; i <= 20; ++i) sum += TrackedStep(ctx, "s" + std::to_string(i), i);
  } else if (kind == 1) {
    ctx.Wait("pause", std::chrono::seconds(1));
    sum += TrackedStep(ctx, "after-wait", 10);
    ctx.Wait("pause-2", std::chrono::seconds(1));
    sum += TrackedStep(ctx, "after-second-wait", 10);
  } else {
    auto cb = ctx.CreateCallback<Json>("approval", {.timeout_seconds = 900});
    Json approval = cb.Await();
    sum += TrackedStep(ctx, "after-callback", approval.value("add", 0));
  }
  return Json{{"kind", kind}, {"sum", sum}};
}

}  // namespace

int main() { return durable::sdk::RunLambdaRuntime(Workflow); }
