// The probe plugins of the plugin suite (10-x): for each requirement id, the plugins its handler
// runs with, printing exactly the records that requirement's ExpectedLogs look for.
#pragma once

#include <string>

#include "conformance/handlers/probe_plugin.h"
#include "conformance/handlers/registry.h"

namespace durable::conformance {

// Plugins for requirement `id` ("10-1" ... "10-23"); empty for any other id.
PluginFactory PluginsFor(const std::string& id);

}  // namespace durable::conformance
