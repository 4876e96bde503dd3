#include "conformance/handlers/probe_plugin.h"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include "durable/sdk/logger.h"

namespace durable::conformance {
namespace {

std::mutex& StdoutMutex() {
  static std::mutex mu;
  return mu;
}

// Calls `fn(probe, info)` when set.
template <typename F, typename I>
void Call(const F& fn, const Probe& probe, const I& info) {
  if (fn) fn(probe, info);
}

}  // namespace

void Probe::Emit(const std::string& hook, const Json& fields) const {
  Json record{{"plugin", plugin_->name_}, {"hook", hook}};
  for (auto it = fields.begin(); it != fields.end(); ++it) record[it.key()] = it.value();
  {
    std::lock_guard<std::mutex> lock(plugin_->mu_);
    record["durableExecutionArn"] = plugin_->arn_;
  }
  std::string line = record.dump() + "\n";
  std::lock_guard<std::mutex> lock(StdoutMutex());
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

bool Probe::first_invocation() const {
  std::lock_guard<std::mutex> lock(plugin_->mu_);
  return plugin_->first_;
}

std::set<std::string> Probe::updated_ids() const {
  std::lock_guard<std::mutex> lock(plugin_->mu_);
  return plugin_->updated_;
}

bool Probe::Once(const std::string& key) const {
  std::lock_guard<std::mutex> lock(plugin_->mu_);
  return plugin_->seen_.insert(key).second;
}

ProbePlugin::ProbePlugin(std::string name, ProbeHooks hooks)
    : name_(std::move(name)), hooks_(std::move(hooks)) {}

void ProbePlugin::OnInvocationStart(const sdk::InvocationInfo& info) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    arn_ = info.durable_execution_arn;
    first_ = info.is_first_invocation;
    updated_ = {info.updated_operation_ids.begin(), info.updated_operation_ids.end()};
    seen_.clear();
  }
  Call(hooks_.invocation_start, Probe(this), info);
}
void ProbePlugin::OnInvocationEnd(const sdk::InvocationInfo& info) {
  Call(hooks_.invocation_end, Probe(this), info);
}
void ProbePlugin::OnOperationStart(const sdk::OperationInfo& info) {
  Call(hooks_.operation_start, Probe(this), info);
}
void ProbePlugin::OnOperationEnd(const sdk::OperationInfo& info) {
  Call(hooks_.operation_end, Probe(this), info);
}
void ProbePlugin::OnOperationChange(const sdk::OperationChangeInfo& info) {
  Call(hooks_.operation_change, Probe(this), info);
}
void ProbePlugin::OnAttemptStart(const sdk::AttemptInfo& info) {
  Call(hooks_.attempt_start, Probe(this), info);
}
void ProbePlugin::OnAttemptEnd(const sdk::AttemptInfo& info) {
  Call(hooks_.attempt_end, Probe(this), info);
}
void ProbePlugin::OnUserFunctionStart(const sdk::OperationInfo& info) {
  Call(hooks_.fn_start, Probe(this), info);
}
void ProbePlugin::OnUserFunctionEnd(const sdk::OperationInfo& info) {
  Call(hooks_.fn_end, Probe(this), info);
}

std::shared_ptr<sdk::Plugin> FaultyPlugin(const std::string& name) {
  auto fault = [](const Probe& p, const std::string& hook) {
    p.Emit(hook, Json::object());
    throw std::runtime_error("faulty plugin hook " + hook);
  };
  auto step_only = [fault](const std::string& hook) {
    return [fault, hook](const Probe& p, const sdk::OperationInfo& info) {
      if (info.type == model::OperationType::kStep) fault(p, hook);
    };
  };
  auto attempt = [fault](const std::string& hook) {
    return [fault, hook](const Probe& p, const sdk::AttemptInfo& info) {
      if (info.operation.type == model::OperationType::kStep) fault(p, hook);
    };
  };
  ProbeHooks hooks;
  hooks.invocation_start = [fault](const Probe& p, const auto&) { fault(p, "invocation-start"); };
  hooks.invocation_end = [fault](const Probe& p, const auto&) { fault(p, "invocation-end"); };
  hooks.operation_start = step_only("operation-start");
  hooks.operation_end = step_only("operation-end");
  hooks.attempt_start = attempt("attempt-start");
  hooks.attempt_end = attempt("attempt-end");
  return std::make_shared<ProbePlugin>(name, std::move(hooks));
}

std::string StatusToken(const sdk::InvocationInfo& info) {
  if (!info.status) return "UNKNOWN";
  switch (*info.status) {
    case model::InvocationStatus::kSucceeded:
      return "SUCCEEDED";
    case model::InvocationStatus::kFailed:
      return "FAILED";
    case model::InvocationStatus::kPending:
      return "PENDING";
  }
  return "UNKNOWN";
}

bool IsTerminalInvocation(const sdk::InvocationInfo& info) {
  return info.status && *info.status != model::InvocationStatus::kPending;
}

std::string TypeToken(const sdk::OperationInfo& info) {
  return std::string(model::ToString(info.type));
}

Json DumpInvocation(const sdk::InvocationInfo& info, bool end) {
  Json out{{"isFirstInvocation", info.is_first_invocation},
           {"requestId", info.request_id},
           {"operationsCount", info.operations_count}};
  if (!end) out["updatedOperationsCount"] = info.updated_operations_count;
  if (info.execution_start_timestamp) {
    out["executionStartTimestamp"] = sdk::IsoTimestamp(*info.execution_start_timestamp);
  }
  if (end) {
    if (info.status) out["status"] = StatusToken(info);
    out["terminal"] = IsTerminalInvocation(info);
    if (info.error) out["executionError"] = info.error->error_message.value_or("");
  }
  return out;
}

Json DumpOperation(const sdk::OperationInfo& info) {
  Json out{{"id", info.id}, {"type", TypeToken(info)}};
  if (info.name) out["name"] = *info.name;
  if (!info.sub_type.empty()) out["subType"] = info.sub_type;
  if (info.parent_id) out["parentId"] = *info.parent_id;
  if (info.status) out["status"] = std::string(model::ToString(*info.status));
  if (info.start_timestamp) out["startTimestamp"] = sdk::IsoTimestamp(*info.start_timestamp);
  if (info.end_timestamp) out["endTimestamp"] = sdk::IsoTimestamp(*info.end_timestamp);
  if (info.error) out["error"] = info.error->error_message.value_or("");
  if (info.attempt) out["attempt"] = *info.attempt;
  out["isReplay"] = info.is_replay;
  out["isPending"] = info.is_pending;
  out["isReplayingChildren"] = info.is_replaying_children;
  return out;
}

Json DumpAttempt(const sdk::AttemptInfo& info, bool end) {
  Json out = DumpOperation(info.operation);
  for (const char* key :
       {"status", "startTimestamp", "endTimestamp", "error", "isPending", "isReplayingChildren"}) {
    out.erase(key);
  }
  out["attempt"] = info.attempt;
  out["startTimestamp"] = sdk::IsoTimestamp(info.start_timestamp);
  if (info.end_timestamp) out["endTimestamp"] = sdk::IsoTimestamp(*info.end_timestamp);
  if (end) {
    out["outcome"] = info.succeeded ? "SUCCEEDED" : "FAILED";
    if (info.error) out["error"] = info.error->error_message.value_or("");
  }
  return out;
}

}  // namespace durable::conformance
