// Internal state of ProcessInvoker, shared by process_invoker.cc (pool, monitor thread) and
// runtime_api.cc (HTTP handlers). Everything below `mu` is guarded by it, except the pipe fds and
// line splitters of an Instance, which its `io_mu` guards (lock order: mu, then io_mu).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "durable/host/launch.h"
#include "durable/host/log_store.h"
#include "durable/host/process_invoker.h"

namespace durable::host {

using SteadyTime = std::chrono::steady_clock::time_point;

struct PendingInvocation {
  engine::InvocationRequest request;
  std::function<void(engine::InvocationResult)> done;
  int64_t timeout_ms = 0;
};
using InvocationPtr = std::shared_ptr<PendingInvocation>;

struct Instance {
  enum class State { kStarting, kIdle, kBusy, kStopping, kDead };
  std::string token;
  std::string function_name;
  pid_t pid = -1;
  std::mutex io_mu;
  int fds[2] = {-1, -1};  // stdout, stderr
  LineSplitter splitters[2];
  State state = State::kStarting;
  InvocationPtr current;
  SteadyTime busy_deadline;
  SteadyTime idle_since;
  bool timed_out = false;
};
using InstancePtr = std::shared_ptr<Instance>;

struct FunctionState {
  FunctionSpec spec;
  LaunchPlan plan;
  std::deque<InvocationPtr> queue;
  SteadyTime init_blocked_until{};
  std::optional<model::ErrorObject> init_error;
};

// Invocation outcomes are collected under the lock and delivered after it is released.
using Completions = std::vector<std::pair<InvocationPtr, engine::InvocationResult>>;
void Deliver(Completions& completions);
engine::InvocationResult FunctionError(std::string type, std::string message);

struct ProcessInvoker::Impl {
  explicit Impl(ProcessInvokerOptions opts);

  ProcessInvokerOptions options;
  const Clock* clock;
  LogStore logs;

  mutable std::mutex mu;
  std::condition_variable cv;  // instances waiting in /next
  std::map<std::string, FunctionState> functions;
  std::map<std::string, InstancePtr> instances;  // by token
  int api_port = 0;
  bool stopping = false;
  bool started = false;
  int wake_fds[2] = {-1, -1};
  std::thread monitor;

  // process_invoker.cc
  void Wake();
  void MonitorLoop();
  // Reads what the process wrote so far into the LogStore (takes inst.io_mu).
  void ReadPipe(Instance& inst, int stream);
  void ReadPipes(Instance& inst) {
    ReadPipe(inst, 0);
    ReadPipe(inst, 1);
  }
  void ReapExited(Completions& completions);
  void CheckDeadlines();
  void StopIdle(Instance& inst);
  void SpawnNeeded(Completions& completions);
  void Spawn(FunctionState& fn, Completions& completions);
  void HandleExit(Instance& inst, int wait_status, Completions& completions);
  void RecordInitFailure(FunctionState& fn, model::ErrorObject error, Completions& completions);
  void FinalShutdown();
  std::vector<std::string> BuildEnvironment(const FunctionState& fn, const std::string& token);
  std::string FunctionArn(const std::string& name) const;

  // runtime_api.cc
  void HandleRuntime(const http::Request& req, http::Response& res);
  void HandleNext(const InstancePtr& inst, http::Response& res);
  void HandleResponse(const InstancePtr& inst, const std::string& request_id,
                      const http::Request& req, http::Response& res);
  void HandleInvocationError(const InstancePtr& inst, const std::string& request_id,
                             const http::Request& req, http::Response& res);
  void HandleInitError(const InstancePtr& inst, const http::Request& req, http::Response& res);
  void HandleLogs(const http::Request& req, http::Response& res);
};

}  // namespace durable::host
