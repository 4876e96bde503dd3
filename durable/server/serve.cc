#include "durable/server/serve.h"

#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>

#include "durable/api/lambda_routes.h"
#include "durable/base/clock.h"
#include "durable/base/log.h"
#include "durable/engine/engine.h"
#include "durable/host/composite_invoker.h"
#include "durable/host/hosting.h"
#include "durable/host/in_process_invoker.h"
#include "durable/host/process_invoker.h"
#include "durable/host/template.h"
#include "durable/http/http.h"
#include "durable/store/memory_store.h"
#include "durable/store/sqlite/sqlite_store.h"

namespace durable::server {
namespace {

Result<std::unique_ptr<store::Store>> OpenStore(const ServeOptions& o) {
  if (o.in_memory) return std::unique_ptr<store::Store>(std::make_unique<store::MemoryStore>());
  store::SqliteOptions so;
  using Sync = store::SqliteOptions::Synchronous;
  so.synchronous = o.sqlite_synchronous == "OFF"      ? Sync::kOff
                   : o.sqlite_synchronous == "NORMAL" ? Sync::kNormal
                                                      : Sync::kFull;
  return store::OpenSqliteStore(o.db_path, so);
}

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

int Fail(const std::string& what, const Status& st) {
  std::cerr << "durable serve: " << what << ": " << st.message() << "\n";
  return 1;
}

}  // namespace

int RunServe(const ServeOptions& o) {
  sigset_t stop_signals = BlockStopSignals();
  if (o.verbose) log::SetLevel(log::Level::kDebug);

  auto store = OpenStore(o);
  if (!store.ok()) return Fail("cannot open the store", store.status());

  host::Template tpl;
  if (o.template_path) {
    auto loaded = host::LoadTemplate(*o.template_path);
    if (!loaded.ok()) return Fail("cannot load " + *o.template_path, loaded.status());
    tpl = std::move(*loaded);
  }

  host::ProcessInvokerOptions po;
  po.api_host = o.host == "0.0.0.0" ? "127.0.0.1" : o.host;
  po.template_dir = tpl.directory;
  po.verbose = o.verbose;
  host::ProcessInvoker processes(po);
  host::InProcessInvoker in_process;
  host::CompositeInvoker invoker({&in_process, &processes});

  auto engine = engine::Engine::Create(store->get(), &invoker, SystemClock::Get(), {});
  for (const auto& fn : host::HostTemplate(tpl, &in_process, &processes)) {
    // A function that cannot run is reported, not fatal: the others still serve. An in-process
    // function whose handler is registered later stays mapped.
    if (!fn.status.ok()) {
      std::cerr << "durable serve: function " << fn.name << ": " << fn.status.message() << "\n";
    }
    if (fn.status.ok() || fn.in_process) engine->RegisterFunction(fn.config);
  }

  http::ServerOptions so;
  so.host = o.host;
  so.port = o.port;
  http::Server server(so);
  api::RegisterLambdaRoutes(server, *engine, {});
  processes.RegisterRoutes(server);
  server.Route("GET", {"durable", "v1", "health"},
               [](const http::Request&, http::Response& r) { r.body = R"({"status":"ok"})"; });
  auto port = server.Start();
  if (!port.ok()) return Fail("cannot listen on " + o.host, port.status());
  processes.SetApiPort(*port);
  Status started = engine->Start();
  if (!started.ok()) return Fail("cannot recover executions", started);

  std::cout << "durable serve: listening on http://" << o.host << ":" << *port << " ("
            << (o.in_memory ? std::string("in memory") : "SQLite " + o.db_path) << ", "
            << tpl.functions.size() << " functions)" << std::endl;
  if (o.port_file) std::ofstream(*o.port_file) << *port << "\n";

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << "durable serve: stopping" << std::endl;
  engine->Shutdown();
  processes.Shutdown();
  in_process.Shutdown();
  server.Stop();
  return 0;
}

}  // namespace durable::server
