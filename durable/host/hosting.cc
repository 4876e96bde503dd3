#include "durable/host/hosting.h"

#include "durable/host/launch.h"

namespace durable::host {
namespace {

Status HostOne(const FunctionSpec& spec, const std::string& template_dir,
               InProcessInvoker* in_process, ProcessInvoker* processes, bool* is_in_process) {
  Result<LaunchPlan> plan = ResolveLaunch(spec, template_dir);
  if (!plan.ok()) return plan.status();
  if (plan->kind == LaunchPlan::Kind::kProcess) {
    if (processes == nullptr) {
      return FailedPrecondition("function " + spec.name + ": function processes are disabled");
    }
    return processes->AddFunction(spec);
  }
  *is_in_process = true;
  if (in_process == nullptr) {
    return FailedPrecondition("function " + spec.name + ": in-process handlers are disabled");
  }
  in_process->AddFunction(spec.name, plan->handler);
  if (!in_process->HasHandler(plan->handler)) {
    return NotFound("function " + spec.name + ": no in-process handler named '" + plan->handler +
                    "' is linked into this binary");
  }
  return Status::Ok();
}

}  // namespace

std::vector<HostedFunction> HostTemplate(const Template& tpl, InProcessInvoker* in_process,
                                         ProcessInvoker* processes) {
  std::vector<HostedFunction> out;
  for (const FunctionSpec& spec : tpl.functions) {
    HostedFunction hosted;
    hosted.name = spec.name;
    hosted.config = ToFunctionConfig(spec);
    hosted.status = HostOne(spec, tpl.directory, in_process, processes, &hosted.in_process);
    out.push_back(std::move(hosted));
  }
  return out;
}

}  // namespace durable::host
