// http::Server over cpp-httplib. Every request goes to one catch-all handler that parses the raw
// target and dispatches on our own route table (method + segment prefix, longest prefix wins).
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/http/http.h"
#include "durable/http/target.h"

namespace durable::http {
namespace {

constexpr char kRequestIdHeader[] = "x-amzn-RequestId";
constexpr char kErrorTypeHeader[] = "X-Amzn-ErrorType";
constexpr size_t kKeepAliveMaxRequests = 100;

void SetError(Response& res, int status, const std::string& type, const std::string& message) {
  WriteAwsError(res, status, type, message);
}

std::string ErrorBody(const std::string& message, bool server_fault) {
  Response res;
  WriteAwsError(res, server_fault ? 500 : 400, "", message);
  return res.body;
}

struct RouteEntry {
  std::string method;  // "" = any
  std::vector<std::string> prefix;
  Handler handler;
};

bool PrefixMatches(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  if (prefix.size() > path.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), path.begin());
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  httplib::Server svr;
  std::shared_mutex mu;  // guards routes and not_found
  std::vector<RouteEntry> routes;
  Handler not_found;
  std::thread thread;
  int port = 0;
  bool started = false;

  const Handler* FindRoute(const Request& req) {
    const RouteEntry* best = nullptr;
    for (const RouteEntry& r : routes) {
      if (!r.method.empty() && r.method != req.method) continue;
      if (!PrefixMatches(r.prefix, req.segments)) continue;
      bool better =
          best == nullptr || r.prefix.size() > best->prefix.size() ||
          (r.prefix.size() == best->prefix.size() && best->method.empty() && !r.method.empty());
      if (better) best = &r;
    }
    return best ? &best->handler : nullptr;
  }

  void Dispatch(const httplib::Request& hreq, httplib::Response& hres) {
    Request req;
    req.method = hreq.method;
    ParsedTarget target = ParseTarget(hreq.target);
    req.raw_path = std::move(target.raw_path);
    req.segments = std::move(target.segments);
    req.query = std::move(target.query);
    for (const auto& [k, v] : hreq.headers) req.headers.emplace(k, v);
    req.body = hreq.body;
    req.remote_addr = hreq.remote_addr;

    Response res;
    Handler handler;
    {
      std::shared_lock lock(mu);
      const Handler* found = FindRoute(req);
      handler = found ? *found : not_found;
    }
    try {
      if (handler) {
        handler(req, res);
      } else {
        SetError(res, 404, "UnknownOperationException", "No route for " + req.raw_path);
      }
    } catch (const std::exception& e) {
      log::Error("http: handler for {} {} threw: {}", req.method, req.raw_path, e.what());
      res = Response();
      SetError(res, 500, "ServiceException", "Internal server error");
    } catch (...) {
      log::Error("http: handler for {} {} threw a non-exception", req.method, req.raw_path);
      res = Response();
      SetError(res, 500, "ServiceException", "Internal server error");
    }
    hres.status = res.status;
    for (const auto& [k, v] : res.headers) hres.headers.emplace(k, v);
    hres.set_content(res.body, res.content_type.c_str());
  }

  void Install() {
    auto dispatch = [this](const httplib::Request& q, httplib::Response& r) { Dispatch(q, r); };
    svr.set_tcp_nodelay(true);
    // cpp-httplib closes a keep-alive connection after 5 requests by default; a function process
    // checkpointing over HTTP then reconnects every few steps (connect, accept, a pool hand-off).
    // Not unlimited: a connection holds one of the worker threads while it lasts, so closing it
    // now and then lets clients beyond the pool's size take turns (nginx's long-time default).
    svr.set_keep_alive_max_count(kKeepAliveMaxRequests);
    svr.Get(".*", dispatch);
    svr.Post(".*", dispatch);
    svr.Put(".*", dispatch);
    svr.Patch(".*", dispatch);
    svr.Delete(".*", dispatch);
    svr.Options(".*", dispatch);
    // Errors raised by httplib itself (oversize body, bad request line) get an AWS-shaped body.
    const std::string too_large =
        "Request must be smaller than " + std::to_string(options.max_body_bytes) + " bytes";
    svr.set_error_handler(httplib::Server::HandlerWithResponse(
        [too_large](const httplib::Request&, httplib::Response& r) {
          if (r.status != 413 || !r.body.empty()) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          r.set_header(kErrorTypeHeader, "RequestEntityTooLargeException");
          r.set_content(ErrorBody(too_large, false), "application/json");
          return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_post_routing_handler([](const httplib::Request&, httplib::Response& r) {
      if (!r.has_header(kRequestIdHeader)) r.set_header(kRequestIdHeader, NewUuid());
    });
    // Safety net only: Dispatch already catches everything a handler throws.
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& r, std::exception_ptr) {
          r.status = 500;
          r.set_header(kErrorTypeHeader, "ServiceException");
          r.set_content(ErrorBody("Internal server error", true), "application/json");
        });
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->Install();
}

Server::~Server() { Stop(); }

void Server::Route(const std::string& method, std::vector<std::string> prefix, Handler handler) {
  std::unique_lock lock(impl_->mu);
  impl_->routes.push_back(RouteEntry{method, std::move(prefix), std::move(handler)});
}

void Server::SetNotFound(Handler handler) {
  std::unique_lock lock(impl_->mu);
  impl_->not_found = std::move(handler);
}

Result<int> Server::Start() {
  Impl& im = *impl_;
  if (im.started) return FailedPrecondition("http server already started");
  int workers = std::max(1, im.options.worker_threads);
  im.svr.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  im.svr.set_payload_max_length(im.options.max_body_bytes);
  int port = -1;
  if (im.options.port == 0) {
    port = im.svr.bind_to_any_port(im.options.host);
  } else if (im.svr.bind_to_port(im.options.host, im.options.port)) {
    port = im.options.port;
  }
  if (port <= 0) {
    return Unavailable("cannot bind " + im.options.host + ":" + std::to_string(im.options.port));
  }
  im.port = port;
  im.started = true;
  im.thread = std::thread([&im] { im.svr.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so wait for it before returning.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!im.svr.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void Server::Stop() {
  Impl& im = *impl_;
  if (!im.started) return;
  im.svr.stop();
  if (im.thread.joinable()) im.thread.join();
  im.started = false;
}

int Server::port() const { return impl_->port; }

}  // namespace durable::http
