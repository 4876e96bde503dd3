// ProbePlugin: an instrumentation plugin assembled from per-hook callbacks that print one JSON
// record per line to stdout, the way the plugin requirements (suite 10) describe. Every record
// carries "plugin", "hook" and the `durableExecutionArn` captured at invocation start, so the
// runner can correlate it with the execution. Hooks may run on branch threads: Emit is
// thread-safe and the captured state is guarded.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "durable/sdk/plugin.h"
#include "durable/sdk/serdes.h"

namespace durable::conformance {

using sdk::Json;

class ProbePlugin;

// What a hook callback sees besides the hook info.
class Probe {
 public:
  // Prints {"plugin", "hook", ...fields, "durableExecutionArn"}.
  void Emit(const std::string& hook, const Json& fields) const;
  bool first_invocation() const;
  // Operation ids the engine updated since the previous invocation (UpdatedOperationIds).
  std::set<std::string> updated_ids() const;
  // True the first time `key` is seen in this invocation (de-duplicates records).
  bool Once(const std::string& key) const;

 private:
  friend class ProbePlugin;
  explicit Probe(const ProbePlugin* plugin) : plugin_(plugin) {}
  const ProbePlugin* plugin_;
};

struct ProbeHooks {
  std::function<void(const Probe&, const sdk::InvocationInfo&)> invocation_start, invocation_end;
  std::function<void(const Probe&, const sdk::OperationInfo&)> operation_start, operation_end;
  std::function<void(const Probe&, const sdk::OperationInfo&)> fn_start, fn_end;
  std::function<void(const Probe&, const sdk::AttemptInfo&)> attempt_start, attempt_end;
  std::function<void(const Probe&, const sdk::OperationChangeInfo&)> operation_change;
};

class ProbePlugin final : public sdk::Plugin {
 public:
  ProbePlugin(std::string name, ProbeHooks hooks);

  void OnInvocationStart(const sdk::InvocationInfo& info) override;
  void OnInvocationEnd(const sdk::InvocationInfo& info) override;
  void OnOperationStart(const sdk::OperationInfo& info) override;
  void OnOperationEnd(const sdk::OperationInfo& info) override;
  void OnOperationChange(const sdk::OperationChangeInfo& info) override;
  void OnAttemptStart(const sdk::AttemptInfo& info) override;
  void OnAttemptEnd(const sdk::AttemptInfo& info) override;
  void OnUserFunctionStart(const sdk::OperationInfo& info) override;
  void OnUserFunctionEnd(const sdk::OperationInfo& info) override;

 private:
  friend class Probe;
  const std::string name_;
  const ProbeHooks hooks_;
  mutable std::mutex mu_;  // guards the captured invocation state below
  std::string arn_;
  bool first_ = false;
  std::set<std::string> updated_;
  mutable std::set<std::string> seen_;
};

// A plugin whose every hook prints {"plugin": name, "hook": <hook>} and then throws. Operation and
// attempt hooks only fire for STEP operations.
std::shared_ptr<sdk::Plugin> FaultyPlugin(const std::string& name);

// Tokens and canonical dumps of the hook infos (camelCase, unset fields omitted).
std::string StatusToken(const sdk::InvocationInfo& info);
std::string TypeToken(const sdk::OperationInfo& info);
bool IsTerminalInvocation(const sdk::InvocationInfo& info);
Json DumpInvocation(const sdk::InvocationInfo& info, bool end);
Json DumpOperation(const sdk::OperationInfo& info);
Json DumpAttempt(const sdk::AttemptInfo& info, bool end);

}  // namespace durable::conformance
