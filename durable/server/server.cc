#include "durable/server/server.h"

#include <iostream>

#include "durable/api/lambda_routes.h"
#include "durable/approvals/ui_routes.h"
#include "durable/base/clock.h"
#include "durable/base/macros.h"
#include "durable/host/composite_invoker.h"
#include "durable/host/hosting.h"
#include "durable/host/in_process_invoker.h"
#include "durable/host/process_invoker.h"
#include "durable/host/template.h"
#include "durable/http/http.h"
#include "durable/server/in_process_sdk.h"
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

host::ProcessInvokerOptions ProcessOptions(const ServeOptions& o, const host::Template& tpl) {
  host::ProcessInvokerOptions po;
  po.api_host = o.host == "0.0.0.0" ? "127.0.0.1" : o.host;
  po.template_dir = tpl.directory;
  po.verbose = o.verbose;
  return po;
}

}  // namespace

// Declaration order is construction order; members are destroyed in reverse.
struct DurableServer::Parts {
  Parts(const ServeOptions& o, std::unique_ptr<store::Store> s, host::Template t)
      : options(o),
        store(std::move(s)),
        tpl(std::move(t)),
        processes(ProcessOptions(o, tpl)),
        invoker({&in_process, &processes}),
        engine(engine::Engine::Create(store.get(), &invoker, SystemClock::Get(), {})),
        http(http::ServerOptions{.host = o.host, .port = o.port}) {}

  ServeOptions options;
  std::unique_ptr<store::Store> store;
  host::Template tpl;
  host::InProcessInvoker in_process;
  host::ProcessInvoker processes;
  host::CompositeInvoker invoker;
  std::unique_ptr<engine::Engine> engine;
  http::Server http;
  int port = 0;
  bool stopped = false;
};

Result<std::unique_ptr<DurableServer>> DurableServer::Start(const ServeOptions& o,
                                                            InProcessHandlers handlers) {
  DURABLE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, OpenStore(o));
  host::Template tpl;
  if (o.template_path) {
    DURABLE_ASSIGN_OR_RETURN(tpl, host::LoadTemplate(*o.template_path));
  }
  auto parts = std::make_unique<Parts>(o, std::move(store), std::move(tpl));
  for (auto& [name, handler] : handlers) {
    parts->in_process.Register(name, MakeInProcessHandler(*parts->engine, std::move(handler)));
  }
  for (const auto& fn : host::HostTemplate(parts->tpl, &parts->in_process, &parts->processes)) {
    // A function that cannot run is reported, not fatal: the others still serve.
    if (!fn.status.ok()) {
      std::cerr << "durable serve: function " << fn.name << ": " << fn.status.message() << "\n";
      continue;
    }
    parts->engine->RegisterFunction(fn.config);
  }

  api::RegisterLambdaRoutes(parts->http, *parts->engine, {});
  parts->processes.RegisterRoutes(parts->http);
  approvals::RegisterUiRoutes(parts->http);  // the web UI at /ui/
  parts->http.Route("GET", {"durable", "v1", "health"},
                    [](const http::Request&, http::Response& r) { r.body = R"({"status":"ok"})"; });
  DURABLE_ASSIGN_OR_RETURN(parts->port, parts->http.Start());
  parts->processes.SetApiPort(parts->port);
  DURABLE_RETURN_IF_ERROR(parts->engine->Start());
  return std::unique_ptr<DurableServer>(new DurableServer(std::move(parts)));
}

DurableServer::DurableServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
DurableServer::~DurableServer() { Stop(); }

int DurableServer::port() const { return parts_->port; }
size_t DurableServer::function_count() const { return parts_->tpl.functions.size(); }
engine::Engine& DurableServer::engine() { return *parts_->engine; }

void DurableServer::Stop() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  parts_->engine->Shutdown();
  parts_->processes.Shutdown();  // before the HTTP server: it releases the /next long polls
  parts_->in_process.Shutdown();
  parts_->http.Stop();
}

}  // namespace durable::server
