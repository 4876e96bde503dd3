#include "durable/server/server.h"

#include <iostream>

#include "durable/api/lambda_routes.h"
#include "durable/approvals/identity.h"
#include "durable/approvals/links.h"
#include "durable/approvals/notifier.h"
#include "durable/approvals/routes.h"
#include "durable/approvals/service.h"
#include "durable/approvals/store.h"
#include "durable/approvals/ui_routes.h"
#include "durable/approvals/workflow.h"
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

// The approval workflow may wait up to the longest spec timeout (366 days) plus its outcome steps.
constexpr int64_t kApprovalWorkflowTimeoutSeconds = 367LL * 24 * 3600;

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
  // Approvals (docs/approvals.md): own tables in the same database file, reached over HTTP.
  approvals::ApprovalsConfig approvals_config;
  std::unique_ptr<approvals::Store> approvals_store;
  std::unique_ptr<approvals::Identity> approvals_identity;
  std::unique_ptr<approvals::Links> approvals_links;
  std::vector<std::unique_ptr<approvals::Notifier>> approvals_notifiers;
  approvals::HttpLambdaApi approvals_lambda;
  std::unique_ptr<approvals::Service> approvals;
  int port = 0;
  bool stopped = false;
};

Status DurableServer::StartApprovals(Parts& p, const ServeOptions& o) {
  if (o.approvals_config) {
    DURABLE_ASSIGN_OR_RETURN(p.approvals_config,
                             approvals::LoadApprovalsConfig(*o.approvals_config));
  } else {
    DURABLE_ASSIGN_OR_RETURN(p.approvals_config,
                             approvals::ParseApprovalsConfig(approvals::Json::object()));
  }
  approvals::StoreOptions store_options;
  store_options.synchronous_full = o.sqlite_synchronous == "FULL";
  DURABLE_ASSIGN_OR_RETURN(
      p.approvals_store,
      approvals::Store::Open(o.in_memory ? ":memory:" : o.db_path, store_options));
  p.approvals_identity = std::make_unique<approvals::Identity>(p.approvals_config.users);
  DURABLE_ASSIGN_OR_RETURN(p.approvals_links,
                           approvals::Links::Open(p.approvals_store.get(), SystemClock::Get()));
  std::vector<approvals::Notifier*> notifiers;
  for (const approvals::Json& entry : p.approvals_config.notifiers) {
    auto notifier = approvals::MakeNotifier(entry);
    if (!notifier.ok()) {
      return InvalidArgument("approvals config: notifier " + entry.dump() + ": " +
                             notifier.status().message());
    }
    notifiers.push_back(notifier->get());
    p.approvals_notifiers.push_back(std::move(notifier).value());
  }
  approvals::ServiceOptions service_options;
  service_options.public_url = p.approvals_config.public_url;
  service_options.link_ttl_seconds = p.approvals_config.link_ttl_seconds;
  p.approvals = std::make_unique<approvals::Service>(
      p.approvals_store.get(), p.approvals_identity.get(), p.approvals_links.get(),
      std::move(notifiers), &p.approvals_lambda, SystemClock::Get(), service_options);
  approvals::RegisterApprovalRoutes(p.http, *p.approvals);
  // The built-in approval workflow, in-process, started through the Lambda Invoke route.
  p.in_process.Register(
      approvals::kWorkflowFunctionName,
      MakeInProcessHandler(*p.engine, approvals::MakeApprovalWorkflow(*p.approvals)));
  engine::FunctionConfig fn;
  fn.name = approvals::kWorkflowFunctionName;
  fn.durable.execution_timeout_seconds = kApprovalWorkflowTimeoutSeconds;
  p.engine->RegisterFunction(fn);
  return Status::Ok();
}

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

  DURABLE_RETURN_IF_ERROR(StartApprovals(*parts, o));

  api::RegisterLambdaRoutes(parts->http, *parts->engine, {});
  parts->processes.RegisterRoutes(parts->http);
  approvals::RegisterUiRoutes(parts->http);  // the web UI at /ui/
  parts->http.Route("GET", {"durable", "v1", "health"},
                    [](const http::Request&, http::Response& r) { r.body = R"({"status":"ok"})"; });
  DURABLE_ASSIGN_OR_RETURN(parts->port, parts->http.Start());
  parts->processes.SetApiPort(parts->port);
  std::string self = "http://" + (o.host == "0.0.0.0" ? std::string("127.0.0.1") : o.host) + ":" +
                     std::to_string(parts->port);
  parts->approvals_lambda.SetBaseUrl(self);
  parts->approvals->SetPublicUrl(
      parts->approvals_config.public_url.empty() ? self : parts->approvals_config.public_url);
  DURABLE_RETURN_IF_ERROR(parts->engine->Start());
  // Approvals work left behind by a previous process (the Lambda API answers from here on).
  if (Status st = parts->approvals->Recover(); !st.ok()) {
    std::cerr << "durable serve: approvals recovery: " << st.message() << "\n";
  }
  return std::unique_ptr<DurableServer>(new DurableServer(std::move(parts)));
}

DurableServer::DurableServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
DurableServer::~DurableServer() { Stop(); }

int DurableServer::port() const { return parts_->port; }
// The template's functions plus the built-in approval-workflow.
size_t DurableServer::function_count() const { return parts_->tpl.functions.size() + 1; }
size_t DurableServer::approvals_user_count() const { return parts_->approvals_config.users.size(); }
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
