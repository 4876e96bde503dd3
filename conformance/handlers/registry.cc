#include "conformance/handlers/registry.h"

#include <stdexcept>
#include <utility>

namespace durable::conformance {

void Registry::Add(std::string name, sdk::Handler handler, PluginFactory plugins) {
  auto [it, inserted] =
      entries_.emplace(std::move(name), HandlerEntry{std::move(handler), std::move(plugins)});
  // A duplicate is a programming error in this directory, caught by the registry test.
  if (!inserted) throw std::logic_error("handler registered twice: " + it->first);
}

const HandlerEntry* Registry::Find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::Names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) names.push_back(name);
  return names;
}

Registry BuildRegistry() {
  Registry registry;
  RegisterStepHandlers(registry);
  RegisterWaitHandlers(registry);
  RegisterChildHandlers(registry);
  RegisterCallbackHandlers(registry);
  RegisterInvokeHandlers(registry);
  RegisterWaitForConditionHandlers(registry);
  RegisterWaitForCallbackHandlers(registry);
  RegisterParallelHandlers(registry);
  RegisterMapHandlers(registry);
  RegisterPluginHandlers(registry);
  return registry;
}

}  // namespace durable::conformance
