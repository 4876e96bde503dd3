// `durable serve`: the composition root. Chooses the store, the invokers and the configuration,
// wires engine + HTTP routes together and runs until SIGINT/SIGTERM. The only place that names
// concrete types (architecture.md §4).
#pragma once

#include <optional>
#include <string>

namespace durable::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 9700;                     // 0 = pick a free port (printed on start)
  std::string db_path = "durable.db";  // SQLite file
  bool in_memory = false;              // MemoryStore instead of SQLite (nothing survives a restart)
  std::optional<std::string> template_path;
  std::string sqlite_synchronous = "FULL";
  bool verbose = false;                // echo function logs and debug lines to stderr
  std::optional<std::string> port_file;  // write the bound port here once listening
};

// Runs the server; returns the process exit code.
int RunServe(const ServeOptions& options);

}  // namespace durable::server
