// The conformance handlers: one durable handler per AWS conformance requirement id ("1-1" ...
// "10-23") plus the chained-invoke targets (TargetEcho, TargetEchoTenant, TargetError), in a
// registry keyed by that name. The `bootstrap` executable picks one through `_HANDLER`. Each
// handler is written from its requirement's `handler`/`invocations` prose. A Registry is filled
// once at start-up and read-only afterwards (safe to share between threads then).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "durable/sdk/execution.h"
#include "durable/sdk/plugin.h"

namespace durable::conformance {

// Builds the instrumentation plugins a handler runs with (plugin suite only).
using PluginFactory = std::function<std::vector<std::shared_ptr<sdk::Plugin>>()>;

struct HandlerEntry {
  sdk::Handler handler;
  PluginFactory plugins;  // empty = no plugins
};

class Registry {
 public:
  // REQUIRES: `name` not registered yet.
  void Add(std::string name, sdk::Handler handler, PluginFactory plugins = nullptr);
  const HandlerEntry* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, HandlerEntry, std::less<>> entries_;
};

// One function per suite (one source file each).
void RegisterStepHandlers(Registry& registry);
void RegisterWaitHandlers(Registry& registry);
void RegisterChildHandlers(Registry& registry);
void RegisterCallbackHandlers(Registry& registry);
void RegisterInvokeHandlers(Registry& registry);
void RegisterWaitForConditionHandlers(Registry& registry);
void RegisterWaitForCallbackHandlers(Registry& registry);
void RegisterParallelHandlers(Registry& registry);
void RegisterMapHandlers(Registry& registry);
void RegisterPluginHandlers(Registry& registry);

// Every suite's handlers and the invoke targets.
Registry BuildRegistry();

}  // namespace durable::conformance
