#include "durable/host/launch.h"

#include "durable/host/node/node_bootstrap.h"

namespace durable::host {

Result<LaunchPlan> ResolveLaunch(const FunctionSpec& spec, const std::string& template_dir) {
  LaunchPlan plan;
  plan.handler = spec.handler;
  plan.working_dir = spec.code_uri.empty() ? template_dir : spec.code_uri;
  if (!spec.command.empty()) {
    plan.kind = LaunchPlan::Kind::kProcess;
    plan.argv = spec.command;
    return plan;
  }
  if (spec.code_uri.empty()) {
    if (spec.handler.empty()) {
      return InvalidArgument("function " + spec.name + ": no Handler, CodeUri or Command");
    }
    plan.kind = LaunchPlan::Kind::kInProcess;
    return plan;
  }
  const std::string& rt = spec.runtime;
  if (rt == "provided" || rt == "provided.al2" || rt == "provided.al2023") {
    plan.kind = LaunchPlan::Kind::kProcess;
    plan.argv = {spec.code_uri + "/bootstrap"};
    return plan;
  }
  if (rt == "nodejs20.x" || rt == "nodejs22.x") {
    Result<std::string> bootstrap = NodeBootstrapPath();
    if (!bootstrap.ok()) {
      return FailedPrecondition("function " + spec.name + ": " + bootstrap.status().message());
    }
    plan.kind = LaunchPlan::Kind::kProcess;
    plan.argv = {"node", *bootstrap};
    return plan;
  }
  return InvalidArgument("function " + spec.name + ": unsupported runtime '" + rt +
                         "' (use provided.al2023 with a bootstrap, or Metadata.Command)");
}

}  // namespace durable::host
