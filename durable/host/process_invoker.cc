// ProcessInvoker: public methods and the per-function pool bookkeeping. The monitor thread
// (process_monitor.cc) spawns, reads output, reaps and enforces deadlines.
#include "durable/host/process_invoker.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/base/macros.h"
#include "durable/host/process.h"
#include "durable/host/process_pool.h"

namespace durable::host {

engine::InvocationResult FunctionError(std::string type, std::string message) {
  engine::InvocationResult result;
  model::ErrorObject error;
  error.error_type = std::move(type);
  error.error_message = std::move(message);
  result.function_error = std::move(error);
  return result;
}

void Deliver(Completions& completions) {
  for (auto& [invocation, result] : completions) {
    if (invocation && invocation->done) invocation->done(std::move(result));
  }
  completions.clear();
}

ProcessInvoker::Impl::Impl(ProcessInvokerOptions opts)
    : options(std::move(opts)),
      clock(options.clock ? options.clock : SystemClock::Get()),
      logs(options.max_log_lines_per_function, options.verbose),
      api_port(options.api_port) {}

void ProcessInvoker::Impl::Wake() {
  char c = 1;
  if (wake_fds[1] >= 0) {
    ssize_t ignored = write(wake_fds[1], &c, 1);
    (void)ignored;
  }
}

std::string ProcessInvoker::Impl::FunctionArn(const std::string& name) const {
  return "arn:aws:lambda:" + options.region + ":" + options.account_id + ":function:" + name;
}

std::vector<std::string> ProcessInvoker::Impl::BuildEnvironment(const FunctionState& fn,
                                                                const std::string& token) {
  std::map<std::string, std::string> env;
  for (const char* key : {"PATH", "HOME", "LANG"}) {
    if (const char* v = std::getenv(key)) env[key] = v;
  }
  for (const auto& [k, v] : fn.spec.environment) env[k] = v;
  const std::string host_port = options.api_host + ":" + std::to_string(api_port);
  env["AWS_LAMBDA_RUNTIME_API"] = host_port + "/runtime/" + token;
  env["AWS_ENDPOINT_URL_LAMBDA"] = "http://" + host_port;
  env["AWS_REGION"] = options.region;
  env["AWS_DEFAULT_REGION"] = options.region;
  env["AWS_ACCESS_KEY_ID"] = "durable-local";
  env["AWS_SECRET_ACCESS_KEY"] = "durable-local";
  env["AWS_LAMBDA_FUNCTION_NAME"] = fn.spec.name;
  env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
  env["AWS_LAMBDA_FUNCTION_TIMEOUT"] = std::to_string(fn.spec.timeout_seconds);
  env["_HANDLER"] = fn.spec.handler;
  env["LAMBDA_TASK_ROOT"] = fn.plan.working_dir;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

void ProcessInvoker::Impl::Spawn(FunctionState& fn, Completions& completions) {
  auto inst = std::make_shared<Instance>();
  inst->token = RandomAlnum(20);
  inst->function_name = fn.spec.name;
  SpawnOptions spawn;
  spawn.argv = fn.plan.argv;
  spawn.env = BuildEnvironment(fn, inst->token);
  spawn.working_dir = fn.plan.working_dir;
  Result<SpawnedProcess> p = SpawnProcess(spawn);
  if (!p.ok()) {
    log::Error("function {}: {}", fn.spec.name, p.status().message());
    model::ErrorObject error;
    error.error_type = "Runtime.InitError";
    error.error_message = p.status().message();
    RecordInitFailure(fn, std::move(error), completions);
    return;
  }
  inst->pid = p->pid;
  inst->fds[0] = p->stdout_fd;
  inst->fds[1] = p->stderr_fd;
  instances[inst->token] = inst;
  log::Debug("function {}: started process {}", fn.spec.name, inst->pid);
}

void ProcessInvoker::Impl::RecordInitFailure(FunctionState& fn, model::ErrorObject error,
                                             Completions& completions) {
  fn.init_error = error;
  fn.init_blocked_until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.init_error_backoff_ms);
  while (!fn.queue.empty()) {
    engine::InvocationResult result;
    result.function_error = error;
    completions.emplace_back(fn.queue.front(), std::move(result));
    fn.queue.pop_front();
  }
}

// Spawns processes for queued invocations no live process can take, up to max concurrency.
void ProcessInvoker::Impl::SpawnNeeded(Completions& completions) {
  if (stopping || api_port == 0) return;
  for (auto& [name, fn] : functions) {
    if (fn.queue.empty()) continue;
    if (std::chrono::steady_clock::now() < fn.init_blocked_until && fn.init_error) {
      RecordInitFailure(fn, *fn.init_error, completions);
      continue;
    }
    size_t available = 0, alive = 0;
    for (const auto& [token, inst] : instances) {
      if (inst->function_name != name || inst->state == Instance::State::kStopping) continue;
      ++alive;
      if (inst->state == Instance::State::kStarting || inst->state == Instance::State::kIdle) {
        ++available;
      }
    }
    size_t max = static_cast<size_t>(std::max(1, fn.spec.max_concurrency));
    for (size_t need = fn.queue.size(); need > available && alive < max; --need, ++alive) {
      Spawn(fn, completions);
      if (fn.queue.empty()) break;  // the spawn failed and failed the queue
    }
  }
}

ProcessInvoker::ProcessInvoker(ProcessInvokerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& im = *impl_;
  if (pipe2(im.wake_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    log::Error("process invoker: cannot create the wake pipe");
  }
  im.started = true;
  im.monitor = std::thread([&im] { im.MonitorLoop(); });
}

ProcessInvoker::~ProcessInvoker() {
  Shutdown();
  for (int fd : impl_->wake_fds) {
    if (fd >= 0) close(fd);
  }
}

Status ProcessInvoker::AddFunction(const FunctionSpec& spec) {
  DURABLE_ASSIGN_OR_RETURN(LaunchPlan plan, ResolveLaunch(spec, impl_->options.template_dir));
  if (plan.kind != LaunchPlan::Kind::kProcess) {
    return InvalidArgument("function " + spec.name + " runs in-process, not as a process");
  }
  std::lock_guard lock(impl_->mu);
  FunctionState& fn = impl_->functions[spec.name];
  fn.spec = spec;
  fn.plan = std::move(plan);
  fn.init_error.reset();
  fn.init_blocked_until = {};
  return Status::Ok();
}

void ProcessInvoker::SetApiPort(int port) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->api_port = port;
  }
  impl_->Wake();
}

bool ProcessInvoker::Has(const std::string& function_name) const {
  std::lock_guard lock(impl_->mu);
  return impl_->functions.count(function_name) > 0;
}

void ProcessInvoker::Invoke(engine::InvocationRequest request,
                            std::function<void(engine::InvocationResult)> done) {
  auto inv = std::make_shared<PendingInvocation>();
  inv->done = std::move(done);
  Completions completions;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->functions.find(request.function_name);
    if (impl_->stopping) {
      completions.emplace_back(inv, FunctionError("Sandbox.Shutdown", "the server is stopping"));
    } else if (it == impl_->functions.end()) {
      completions.emplace_back(inv, FunctionError("ResourceNotFoundException",
                                                  "Function not found: " + request.function_name));
    } else {
      FunctionState& fn = it->second;
      inv->timeout_ms =
          request.timeout_ms > 0 ? request.timeout_ms : fn.spec.timeout_seconds * 1000;
      inv->request = std::move(request);
      fn.queue.push_back(inv);
      impl_->cv.notify_all();
    }
  }
  Deliver(completions);
  impl_->Wake();
}

void ProcessInvoker::Shutdown() {
  Impl& im = *impl_;
  Completions completions;
  {
    std::lock_guard lock(im.mu);
    if (!im.started) return;
    im.started = false;
    im.stopping = true;
    for (auto& [name, fn] : im.functions) {
      for (auto& inv : fn.queue) {
        completions.emplace_back(inv, FunctionError("Sandbox.Shutdown", "the server is stopping"));
      }
      fn.queue.clear();
    }
    for (auto& [token, inst] : im.instances) {
      if (inst->current) {
        completions.emplace_back(std::move(inst->current),
                                 FunctionError("Sandbox.Shutdown", "the server is stopping"));
        inst->current.reset();
      }
      inst->state = Instance::State::kStopping;
      SignalProcessGroup(inst->pid, SIGTERM);
    }
    im.cv.notify_all();
  }
  im.Wake();
  if (im.monitor.joinable()) im.monitor.join();
  Deliver(completions);
}

const LogStore& ProcessInvoker::logs() const { return impl_->logs; }

size_t ProcessInvoker::ProcessCount(const std::string& function_name) const {
  std::lock_guard lock(impl_->mu);
  size_t n = 0;
  for (const auto& [token, inst] : impl_->instances) {
    if (inst->function_name == function_name) ++n;
  }
  return n;
}

}  // namespace durable::host
