// bootstrap: the conformance handlers as one Lambda custom-runtime executable. The function's
// Handler property (environment variable _HANDLER, e.g. "1-1" or "TargetEcho") selects the
// handler; the SDK's Runtime API loop then serves invocations until the runtime API goes away.
// `bootstrap --list` prints the registered names, one per line.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "conformance/handlers/registry.h"
#include "durable/sdk/runtime.h"

int main(int argc, char** argv) {
  using durable::conformance::BuildRegistry;
  const auto registry = BuildRegistry();
  if (argc > 1 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& name : registry.Names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  const char* name = std::getenv("_HANDLER");
  if (name == nullptr || *name == '\0') {
    std::fprintf(stderr, "bootstrap: _HANDLER is not set (expected a requirement id)\n");
    return 2;
  }
  const auto* entry = registry.Find(name);
  if (entry == nullptr) {
    std::fprintf(stderr, "bootstrap: no conformance handler named '%s'\n", name);
    return 2;
  }
  durable::sdk::RuntimeOptions options;
  options.handler_name = name;
  // One plugin set per process: the probe plugins reset their state at each invocation start.
  if (entry->plugins) options.run.plugins = entry->plugins();
  return durable::sdk::RunLambdaRuntime(entry->handler, options);
}
