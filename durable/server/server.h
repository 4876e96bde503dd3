// DurableServer: everything `durable serve` runs, as one object so that tests and embedders can
// start it in-process: the store, the engine, the invokers (in-process SDK handlers and function
// processes from the template) and the HTTP server with the Lambda and Runtime API routes.
// Start() returns once it listens; Stop() shuts down in order. Thread-safe after Start.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "durable/base/result.h"
#include "durable/engine/engine.h"
#include "durable/sdk/execution.h"

namespace durable::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 9700;                     // 0 = pick a free port (printed on start)
  std::string db_path = "durable.db";  // SQLite file
  bool in_memory = false;              // MemoryStore instead of SQLite (nothing survives a restart)
  std::optional<std::string> template_path;
  std::string sqlite_synchronous = "FULL";
  bool verbose = false;                  // echo function logs and debug lines to stderr
  std::optional<std::string> port_file;  // write the bound port here once listening
  // Approvals config file (docs/approvals.md): users, tokens, notifiers. None = no users (the
  // approvals API answers 401); the built-in approval-workflow is registered either way.
  std::optional<std::string> approvals_config;
};

// In-process C++ handlers by handler name. A template function with no CodeUri and no command
// whose Handler names one of them runs in-process.
using InProcessHandlers = std::map<std::string, sdk::Handler>;

class DurableServer {
 public:
  static Result<std::unique_ptr<DurableServer>> Start(const ServeOptions& options,
                                                      InProcessHandlers handlers = {});
  ~DurableServer();
  DurableServer(const DurableServer&) = delete;
  DurableServer& operator=(const DurableServer&) = delete;

  int port() const;
  size_t function_count() const;  // served functions, built-ins included
  size_t approvals_user_count() const;
  engine::Engine& engine();
  void Stop();

 private:
  struct Parts;
  static Status StartApprovals(Parts& parts, const ServeOptions& options);
  explicit DurableServer(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace durable::server
