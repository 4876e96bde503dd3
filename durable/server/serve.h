// `durable serve`: starts a DurableServer and runs it until SIGINT/SIGTERM.
#pragma once

#include "durable/server/server.h"

namespace durable::server {

// Runs the server; returns the process exit code.
int RunServe(const ServeOptions& options);

}  // namespace durable::server
