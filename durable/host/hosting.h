// Hands every function of a template to the invoker that can run it (launch.h decides): in-process
// handlers to an InProcessInvoker, function processes to a ProcessInvoker. A function that cannot
// run (unsupported or not-yet-implemented runtime) is reported, not fatal, so one bad resource
// does not stop the server. Thread-compatible (call once at startup).
#pragma once

#include <string>
#include <vector>

#include "durable/base/status.h"
#include "durable/engine/engine.h"
#include "durable/host/in_process_invoker.h"
#include "durable/host/process_invoker.h"
#include "durable/host/template.h"

namespace durable::host {

struct HostedFunction {
  std::string name;
  engine::FunctionConfig config;  // register with the engine when status is OK
  Status status;                  // why the function cannot run, if it cannot
  bool in_process = false;
};

// `in_process` or `processes` may be null when that kind of hosting is not offered. An
// in-process function whose handler is not registered (yet) is reported with NotFound but still
// mapped, so registering the handler later makes it runnable.
std::vector<HostedFunction> HostTemplate(const Template& tpl, InProcessInvoker* in_process,
                                         ProcessInvoker* processes);

}  // namespace durable::host
