// The ProcessInvoker's monitor thread: reads function output into the LogStore, notices exited
// processes, kills processes past their invocation deadline or idle too long, spawns processes for
// queued invocations, and on shutdown terminates everything. It is the only thread that forks, so
// PR_SET_PDEATHSIG (tied to the spawning thread) lasts as long as the invoker.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "durable/base/log.h"
#include "durable/host/process.h"
#include "durable/host/process_pool.h"

namespace durable::host {
namespace {

constexpr int kPollIntervalMs = 50;
constexpr const char* kStreamNames[2] = {"stdout", "stderr"};

std::string TimeoutMessage(int64_t timeout_ms) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "Task timed out after %.2f seconds", timeout_ms / 1000.0);
  return buf;
}

void CloseFds(Instance& inst) {
  std::lock_guard io(inst.io_mu);
  for (int& fd : inst.fds) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

}  // namespace

void ProcessInvoker::Impl::ReadPipe(Instance& inst, int stream) {
  std::lock_guard io(inst.io_mu);
  int& fd = inst.fds[stream];
  char buf[16384];
  // Bounded so that a process writing without pause cannot pin the caller.
  for (size_t budget = 4 << 20; fd >= 0 && budget > 0;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    std::vector<std::string> lines;
    if (n > 0) {
      budget -= std::min(budget, size_t(n));
      lines = inst.splitters[stream].Feed(std::string_view(buf, size_t(n)));
    } else {  // EOF or error
      lines = inst.splitters[stream].Flush();
      close(fd);
      fd = -1;
    }
    TimestampMs now = clock->NowMs();
    for (std::string& line : lines) {
      logs.Append(inst.function_name, LogLine{now, kStreamNames[stream], std::move(line)});
    }
  }
}

void ProcessInvoker::Impl::HandleExit(Instance& inst, int wait_status, Completions& completions) {
  SignalProcessGroup(inst.pid, SIGKILL);  // leftovers the function started
  const std::string how = DescribeExit(wait_status);
  if (inst.current) {
    const std::string& id = inst.current->request.request_id;
    engine::InvocationResult result;
    if (inst.timed_out) {
      result = FunctionError("Sandbox.Timedout", TimeoutMessage(inst.current->timeout_ms));
    } else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) {
      result =
          FunctionError("Runtime.ExitError",
                        "RequestId: " + id + " Error: Runtime exited without providing a reason");
    } else {
      result = FunctionError("Runtime.ExitError",
                             "RequestId: " + id + " Error: Runtime exited with error: " + how);
    }
    completions.emplace_back(std::move(inst.current), std::move(result));
    inst.current.reset();
  } else if (inst.state == Instance::State::kStarting && !stopping) {
    // It never asked for work: an init failure (bad command, crash while loading, ...).
    auto fn = functions.find(inst.function_name);
    if (fn != functions.end()) {
      model::ErrorObject error;
      error.error_type = "Runtime.ExitError";
      error.error_message = "Error: Runtime exited with error: " + how;
      RecordInitFailure(fn->second, std::move(error), completions);
    }
  }
  log::Debug("function {}: process {} ended ({})", inst.function_name, inst.pid, how);
  inst.state = Instance::State::kDead;
}

void ProcessInvoker::Impl::ReapExited(Completions& completions) {
  for (auto it = instances.begin(); it != instances.end();) {
    Instance& inst = *it->second;
    std::optional<int> status = TryReap(inst.pid);
    if (!status) {
      ++it;
      continue;
    }
    ReadPipes(inst);  // output written just before exiting belongs to this invocation
    CloseFds(inst);
    HandleExit(inst, *status, completions);
    it = instances.erase(it);
    cv.notify_all();
  }
}

void ProcessInvoker::Impl::StopIdle(Instance& inst) {
  inst.state = Instance::State::kStopping;
  SignalProcessGroup(inst.pid, SIGTERM);
  cv.notify_all();
}

void ProcessInvoker::Impl::CheckDeadlines() {
  auto now = std::chrono::steady_clock::now();
  auto idle_limit = std::chrono::milliseconds(options.idle_timeout_ms);
  std::vector<Instance*> idle;
  for (auto& [token, inst] : instances) {
    if (inst->state == Instance::State::kBusy && !inst->timed_out && now >= inst->busy_deadline) {
      inst->timed_out = true;
      SignalProcessGroup(inst->pid, SIGKILL);
    } else if (inst->state == Instance::State::kIdle && now - inst->idle_since >= idle_limit) {
      StopIdle(*inst);
    } else if (inst->state == Instance::State::kIdle) {
      idle.push_back(inst.get());
    }
  }
  // Each idle process holds an HTTP worker in /next: keep only the most recently used ones.
  if (idle.size() <= options.max_idle_processes) return;
  std::sort(idle.begin(), idle.end(),
            [](const Instance* a, const Instance* b) { return a->idle_since > b->idle_since; });
  for (size_t i = options.max_idle_processes; i < idle.size(); ++i) StopIdle(*idle[i]);
}

void ProcessInvoker::Impl::MonitorLoop() {
  std::vector<pollfd> pfds;
  std::vector<std::pair<InstancePtr, int>> owners;
  while (true) {
    pfds.assign(1, pollfd{wake_fds[0], POLLIN, 0});
    owners.assign(1, {nullptr, 0});
    {
      std::lock_guard lock(mu);
      if (stopping) break;
      for (auto& [token, inst] : instances) {
        for (int s = 0; s < 2; ++s) {
          if (inst->fds[s] < 0) continue;
          pfds.push_back(pollfd{inst->fds[s], POLLIN, 0});
          owners.emplace_back(inst, s);
        }
      }
    }
    poll(pfds.data(), pfds.size(), kPollIntervalMs);
    char drain[256];
    while (read(wake_fds[0], drain, sizeof(drain)) > 0) {
    }
    for (size_t i = 1; i < pfds.size(); ++i) {
      if (pfds[i].revents != 0) ReadPipe(*owners[i].first, owners[i].second);
    }
    owners.clear();
    Completions completions;
    {
      std::lock_guard lock(mu);
      ReapExited(completions);
      CheckDeadlines();
      SpawnNeeded(completions);
    }
    Deliver(completions);
  }
  FinalShutdown();
}

// Every process already got SIGTERM from Shutdown(); wait out the grace period, then SIGKILL.
void ProcessInvoker::Impl::FinalShutdown() {
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.shutdown_grace_ms);
  Completions completions;
  std::unique_lock lock(mu);
  while (!instances.empty() && std::chrono::steady_clock::now() < deadline) {
    ReapExited(completions);
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    lock.lock();
  }
  for (auto& [token, inst] : instances) SignalProcessGroup(inst->pid, SIGKILL);
  for (auto& [token, inst] : instances) {
    int status = 0;
    while (waitpid(inst->pid, &status, 0) < 0 && errno == EINTR) {
    }
    ReadPipes(*inst);
    CloseFds(*inst);
    HandleExit(*inst, status, completions);
  }
  instances.clear();
  cv.notify_all();
  lock.unlock();
  Deliver(completions);
}

}  // namespace durable::host
