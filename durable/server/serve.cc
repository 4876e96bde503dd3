#include "durable/server/serve.h"

#include <csignal>
#include <fstream>
#include <iostream>

#include "durable/base/log.h"

namespace durable::server {
namespace {

// Blocks SIGINT/SIGTERM in every thread (they inherit the mask) so that main can sigwait.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

}  // namespace

int RunServe(const ServeOptions& o) {
  sigset_t stop_signals = BlockStopSignals();
  if (o.verbose) log::SetLevel(log::Level::kDebug);

  auto server = DurableServer::Start(o);
  if (!server.ok()) {
    std::cerr << "durable serve: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "durable serve: listening on http://" << o.host << ":" << (*server)->port() << " ("
            << (o.in_memory ? std::string("in memory") : "SQLite " + o.db_path) << ", "
            << (*server)->function_count() << " functions)" << std::endl;
  std::cout << "durable serve: approvals inbox at http://" << o.host << ":" << (*server)->port()
            << "/ui/ (" << (*server)->approvals_user_count() << " users"
            << (o.approvals_config ? " from " + *o.approvals_config : std::string()) << ")"
            << std::endl;
  if (o.port_file) std::ofstream(*o.port_file) << (*server)->port() << "\n";

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << "durable serve: stopping" << std::endl;
  (*server)->Stop();
  return 0;
}

}  // namespace durable::server
