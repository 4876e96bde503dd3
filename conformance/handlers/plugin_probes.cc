#include "conformance/handlers/plugin_probes.h"

#include <string>
#include <vector>

namespace durable::conformance {
namespace {

using model::OperationType;
using sdk::AttemptInfo;
using sdk::InvocationInfo;
using sdk::OperationInfo;

constexpr const char* kName = "CONFPLUGIN";
constexpr const char* kFaulty = "CONFPLUGIN-FAULTY";

PluginFactory One(ProbeHooks hooks, std::string name = kName) {
  return [hooks, name] {
    return std::vector<std::shared_ptr<sdk::Plugin>>{std::make_shared<ProbePlugin>(name, hooks)};
  };
}

bool IsStep(const OperationInfo& i) { return i.type == OperationType::kStep; }
bool IsWait(const OperationInfo& i) { return i.type == OperationType::kWait; }
std::string Status(const OperationInfo& i) {
  return i.status ? std::string(model::ToString(*i.status)) : "NONE";
}
std::string ParentOrNone(const OperationInfo& i) { return i.parent_id.value_or("NONE"); }
std::string Outcome(const OperationInfo& i) {
  if (i.status) return Status(i);
  return i.error ? "FAILED" : "SUCCEEDED";
}

// invocation-start {first} and invocation-end {status} (10-1, 10-6, 10-7).
ProbeHooks InvocationHooks() {
  ProbeHooks h;
  h.invocation_start = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-start", {{"first", i.is_first_invocation}});
  };
  h.invocation_end = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-end", {{"status", StatusToken(i)}});
  };
  return h;
}

// attempt-start {n, op} / attempt-end {n, outcome, op} for steps (10-3, 10-15).
void AddAttemptHooks(ProbeHooks& h) {
  h.attempt_start = [](const Probe& p, const AttemptInfo& a) {
    if (IsStep(a.operation)) p.Emit("attempt-start", {{"n", a.attempt}, {"op", a.operation.id}});
  };
  h.attempt_end = [](const Probe& p, const AttemptInfo& a) {
    if (!IsStep(a.operation)) return;
    p.Emit("attempt-end", {{"n", a.attempt},
                           {"outcome", a.succeeded ? "SUCCEEDED" : "FAILED"},
                           {"op", a.operation.id}});
  };
}

// operation-end {op, status} for steps.
void AddStepEnd(ProbeHooks& h) {
  h.operation_end = [](const Probe& p, const OperationInfo& i) {
    if (IsStep(i)) p.Emit("operation-end", {{"op", i.id}, {"status", Status(i)}});
  };
}

// The healthy plugin of 10-17.
ProbeHooks HealthyHooks() {
  ProbeHooks h;
  h.invocation_start = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-start", {{"first", i.is_first_invocation}});
  };
  h.invocation_end = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-end", {{"status", StatusToken(i)}});
  };
  h.operation_start = [](const Probe& p, const OperationInfo& i) {
    if (IsStep(i)) p.Emit("operation-start", {{"op", i.id}});
  };
  AddStepEnd(h);
  h.attempt_start = [](const Probe& p, const AttemptInfo& a) {
    if (IsStep(a.operation)) p.Emit("attempt-start", {{"op", a.operation.id}});
  };
  h.attempt_end = [](const Probe& p, const AttemptInfo& a) {
    if (!IsStep(a.operation)) return;
    p.Emit("attempt-end",
           {{"op", a.operation.id}, {"outcome", a.succeeded ? "SUCCEEDED" : "FAILED"}});
  };
  return h;
}

// 10-9: a WAIT the engine completed between invocations, reported once per invocation from
// whichever hook first shows it.
ProbeHooks UpdatedOnInvokeHooks() {
  auto report = [](const Probe& p, const OperationInfo& i) {
    if (!IsWait(i) || !p.updated_ids().count(i.id) || !i.status) return;
    if (!model::IsTerminal(*i.status) || !p.Once("updated:" + i.id)) return;
    p.Emit("updated-on-invoke",
           {{"op", i.id}, {"status", Status(i)}, {"first", p.first_invocation()}});
  };
  ProbeHooks h;
  h.operation_start = report;
  h.operation_end = report;
  h.operation_change = [report](const Probe& p, const sdk::OperationChangeInfo& c) {
    for (const auto& i : c.all) report(p, i);
  };
  return h;
}

// 10-16: invocation-end stamped with the same invocation's first flag.
ProbeHooks InvocationEndHooks() {
  ProbeHooks h;
  h.invocation_start = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-start", {{"first", i.is_first_invocation}});
  };
  h.invocation_end = [](const Probe& p, const InvocationInfo& i) {
    p.Emit("invocation-end", {{"first", p.first_invocation()},
                              {"terminal", IsTerminalInvocation(i)},
                              {"status", StatusToken(i)}});
  };
  return h;
}

// 10-18: wait starts with replay/pending flags, wait ends with status, keyed by name.
ProbeHooks WaitReplayHooks() {
  ProbeHooks h;
  h.operation_start = [](const Probe& p, const OperationInfo& i) {
    if (!IsWait(i)) return;
    bool pending = !(i.status && model::IsTerminal(*i.status));
    p.Emit("operation-start", {{"type", TypeToken(i)},
                               {"name", i.name.value_or("")},
                               {"replay", i.is_replay},
                               {"pending", pending}});
  };
  h.operation_end = [](const Probe& p, const OperationInfo& i) {
    if (!IsWait(i)) return;
    p.Emit("operation-end",
           {{"type", TypeToken(i)}, {"name", i.name.value_or("")}, {"status", Status(i)}});
  };
  return h;
}

// 10-19 .. 10-23: canonical dumps of the hook infos.
ProbeHooks DumpHooks(int id) {
  ProbeHooks h;
  if (id == 19) {
    h.invocation_start = [](const Probe& p, const InvocationInfo& i) {
      p.Emit("invocation-start", DumpInvocation(i, false));
    };
    h.invocation_end = [](const Probe& p, const InvocationInfo& i) {
      p.Emit("invocation-end", DumpInvocation(i, true));
    };
  } else if (id == 20) {
    h.operation_start = [](const Probe& p, const OperationInfo& i) {
      if (IsStep(i)) p.Emit("operation-start", DumpOperation(i));
    };
    h.operation_end = [](const Probe& p, const OperationInfo& i) {
      if (IsStep(i)) p.Emit("operation-end", DumpOperation(i));
    };
  } else if (id == 21) {
    h.attempt_start = [](const Probe& p, const AttemptInfo& a) {
      if (IsStep(a.operation)) p.Emit("attempt-start", DumpAttempt(a, false));
    };
    h.attempt_end = [](const Probe& p, const AttemptInfo& a) {
      if (IsStep(a.operation)) p.Emit("attempt-end", DumpAttempt(a, true));
    };
  } else if (id == 22) {
    h.operation_change = [](const Probe& p, const sdk::OperationChangeInfo& c) {
      for (const auto& item : c.updated) {
        if (!IsStep(item)) continue;
        Json record = DumpOperation(item);
        bool in_full = false;
        for (const auto& any : c.all) in_full = in_full || any.id == item.id;
        record["executionArn"] = c.durable_execution_arn;
        record["updatedOperationsCount"] = c.updated.size();
        record["operationsCount"] = c.all.size();
        record["inFullMap"] = in_full;
        p.Emit("operation-change", record);
      }
    };
  } else if (id == 23) {
    auto is_context = [](const OperationInfo& i) { return i.type == OperationType::kContext; };
    h.operation_start = [is_context](const Probe& p, const OperationInfo& i) {
      if (is_context(i)) p.Emit("operation-start", DumpOperation(i));
    };
    h.fn_start = [is_context](const Probe& p, const OperationInfo& i) {
      if (is_context(i)) p.Emit("fn-start", DumpOperation(i));
    };
  }
  return h;
}

// 10-2 step / 10-10 wait operation start and end; 10-13 adds the replay flag.
ProbeHooks OperationHooks(OperationType type, bool with_type, bool with_replay) {
  ProbeHooks h;
  h.operation_start = [=](const Probe& p, const OperationInfo& i) {
    if (i.type != type) return;
    Json fields{{"op", i.id}};
    if (with_type) fields["type"] = TypeToken(i);
    if (with_replay) fields["replay"] = i.is_replay;
    p.Emit("operation-start", fields);
  };
  h.operation_end = [=](const Probe& p, const OperationInfo& i) {
    if (i.type != type) return;
    Json fields{{"op", i.id}, {"status", Status(i)}};
    if (with_type) fields["type"] = TypeToken(i);
    p.Emit("operation-end", fields);
  };
  return h;
}

// 10-8: operation-change {op, status, in_full_map} per updated step.
ProbeHooks ChangeHooks() {
  ProbeHooks h;
  h.operation_change = [](const Probe& p, const sdk::OperationChangeInfo& c) {
    for (const auto& item : c.updated) {
      if (!IsStep(item)) continue;
      bool in_full = false;
      for (const auto& any : c.all) in_full = in_full || any.id == item.id;
      p.Emit("operation-change",
             {{"op", item.id}, {"status", Status(item)}, {"in_full_map", in_full}});
    }
  };
  return h;
}

// 10-11: operation-end {op, parent, status} for every operation.
ProbeHooks ParentHooks() {
  ProbeHooks h;
  h.operation_end = [](const Probe& p, const OperationInfo& i) {
    p.Emit("operation-end", {{"op", i.id}, {"parent", ParentOrNone(i)}, {"status", Status(i)}});
  };
  return h;
}

// 10-12: user-function hooks of parallel branches.
ProbeHooks BranchFunctionHooks() {
  auto is_branch = [](const OperationInfo& i) { return i.sub_type == "ParallelBranch"; };
  ProbeHooks h;
  h.fn_start = [is_branch](const Probe& p, const OperationInfo& i) {
    if (is_branch(i)) p.Emit("fn-start", {{"op", i.id}, {"parent", ParentOrNone(i)}});
  };
  h.fn_end = [is_branch](const Probe& p, const OperationInfo& i) {
    if (!is_branch(i)) return;
    p.Emit("fn-end", {{"op", i.id}, {"parent", ParentOrNone(i)}, {"outcome", Outcome(i)}});
  };
  return h;
}

// 10-14: operation-end with the raw result and the error message.
ProbeHooks ResultHooks() {
  ProbeHooks h;
  h.operation_end = [](const Probe& p, const OperationInfo& i) {
    if (!IsStep(i)) return;
    p.Emit("operation-end",
           {{"op", i.id},
            {"status", Status(i)},
            {"result", i.result.value_or("NONE")},
            {"error", i.error ? i.error->error_message.value_or("") : std::string("NONE")}});
  };
  return h;
}

std::vector<std::shared_ptr<sdk::Plugin>> TwoPlugins(std::shared_ptr<sdk::Plugin> a,
                                                     std::shared_ptr<sdk::Plugin> b) {
  return {std::move(a), std::move(b)};
}

}  // namespace

PluginFactory PluginsFor(const std::string& id) {
  if (id == "10-1" || id == "10-6" || id == "10-7") return One(InvocationHooks());
  if (id == "10-2") return One(OperationHooks(OperationType::kStep, false, false));
  if (id == "10-3") {
    ProbeHooks h;
    AddAttemptHooks(h);
    return One(h);
  }
  if (id == "10-4") {
    return [] { return std::vector<std::shared_ptr<sdk::Plugin>>{FaultyPlugin(kFaulty)}; };
  }
  if (id == "10-5") {
    ProbeHooks h;
    h.invocation_start = [](const Probe& p, const InvocationInfo&) {
      p.Emit("invocation-start", Json::object());
    };
    h.invocation_end = [](const Probe& p, const InvocationInfo& i) {
      p.Emit("invocation-end", {{"status", StatusToken(i)}});
    };
    return [h] {
      return TwoPlugins(std::make_shared<ProbePlugin>("CONFPLUGIN-A", h),
                        std::make_shared<ProbePlugin>("CONFPLUGIN-B", h));
    };
  }
  if (id == "10-8") return One(ChangeHooks());
  if (id == "10-9") return One(UpdatedOnInvokeHooks());
  if (id == "10-10") return One(OperationHooks(OperationType::kWait, true, false));
  if (id == "10-11") return One(ParentHooks());
  if (id == "10-12") return One(BranchFunctionHooks());
  if (id == "10-13") return One(OperationHooks(OperationType::kStep, false, true));
  if (id == "10-14") return One(ResultHooks());
  if (id == "10-15") {
    ProbeHooks h;
    AddAttemptHooks(h);
    AddStepEnd(h);
    return One(h);
  }
  if (id == "10-16") return One(InvocationEndHooks());
  if (id == "10-17") {
    return [] {
      return TwoPlugins(FaultyPlugin(kFaulty),
                        std::make_shared<ProbePlugin>("CONFPLUGIN-HEALTHY", HealthyHooks()));
    };
  }
  if (id == "10-18") return One(WaitReplayHooks());
  for (int n : {19, 20, 21, 22, 23}) {
    if (id == "10-" + std::to_string(n)) return One(DumpHooks(n));
  }
  return nullptr;
}

}  // namespace durable::conformance
