// ProcessInvoker: runs functions as processes that speak the Lambda Runtime API, like Lambda
// instances. Per function a pool grows on demand up to its max concurrency; idle processes are
// reused and reaped after a while; a crash or a timeout fails the in-flight invocation
// (Runtime.ExitError / Sandbox.Timedout) and the process is replaced on demand. Each process gets
// its own Runtime API base (`127.0.0.1:<port>/runtime/<token>`) served by RegisterRoutes on the
// main http::Server, which also serves the captured logs. Thread-safe.
//
// Shutdown order: ProcessInvoker::Shutdown() before http::Server::Stop() (it releases the
// long-polling /next handlers and kills the processes that hold connections).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "durable/base/clock.h"
#include "durable/base/result.h"
#include "durable/engine/invoker.h"
#include "durable/host/log_store.h"
#include "durable/host/template.h"
#include "durable/http/http.h"

namespace durable::host {

struct ProcessInvokerOptions {
  std::string api_host = "127.0.0.1";
  int api_port = 0;  // the http::Server's port; or call SetApiPort once it is known
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  std::string template_dir;  // working directory of functions without CodeUri
  bool verbose = false;      // echo every captured line to stderr, prefixed with the function
  size_t max_log_lines_per_function = 200'000;
  int64_t idle_timeout_ms = 300'000;  // an idle process is stopped after this long
  // Every idle process holds one http::Server worker thread (its /next long poll), so keep this
  // well below ServerOptions.worker_threads; beyond it the least recently used idle ones stop.
  size_t max_idle_processes = 24;
  int64_t init_error_backoff_ms = 2'000;  // after an init failure, fail fast for this long
  int64_t shutdown_grace_ms = 2'000;      // SIGTERM, then SIGKILL after this long
  const Clock* clock = nullptr;           // log timestamps and deadlines; SystemClock if null
};

class ProcessInvoker final : public engine::Invoker {
 public:
  explicit ProcessInvoker(ProcessInvokerOptions options);
  ~ProcessInvoker() override;  // calls Shutdown()
  ProcessInvoker(const ProcessInvoker&) = delete;
  ProcessInvoker& operator=(const ProcessInvoker&) = delete;

  // Adds (or replaces the configuration of) a function; it must resolve to a process launch
  // (ResolveLaunch), otherwise an error status explains why.
  Status AddFunction(const FunctionSpec& spec);
  void SetApiPort(int port);
  // Runtime API under /runtime/<token>/2018-06-01/... and
  // GET /durable/v1/functions/{FunctionName}/logs?since=<epoch ms>.
  void RegisterRoutes(http::Server& server);

  bool Has(const std::string& function_name) const override;
  void Invoke(engine::InvocationRequest request,
              std::function<void(engine::InvocationResult)> done) override;

  // Fails queued and in-flight invocations, terminates every process (SIGTERM, then SIGKILL).
  // Idempotent.
  void Shutdown();

  const LogStore& logs() const;
  // Live processes of a function (starting, idle or busy).
  size_t ProcessCount(const std::string& function_name) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace durable::host
