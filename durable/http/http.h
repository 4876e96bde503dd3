// HTTP server (our own, on epoll) and client (over cpp-httplib, the only place that includes that
// library: house habit 6).
// Routes see the *raw* (still percent-encoded) path split into segments, so that ARNs and
// base64 callback ids containing '/' survive (protocol.md §2). Server and Client are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "durable/base/result.h"

namespace durable::http {

// Case-insensitive header map.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;
  std::string raw_path;               // without the query, still percent-encoded
  std::vector<std::string> segments;  // raw_path split on '/', each segment percent-decoded
  std::multimap<std::string, std::string> query;  // decoded keys and values, repeated keys kept
  Headers headers;
  std::string body;
  std::string remote_addr;

  std::optional<std::string> Header(const std::string& name) const;
  std::optional<std::string> Query(const std::string& name) const;  // first value
  std::vector<std::string> QueryAll(const std::string& name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type = "application/json";
  // For long streams (none yet) a handler could set this instead of body.
};

using Handler = std::function<void(const Request&, Response&)>;

// Writes an AWS-shaped error: `X-Amzn-ErrorType: <type>` and the JSON body
// {"Type": "User"|"Service" (5xx), "message", "Message"}.
void WriteAwsError(Response& response, int http_status, std::string_view type,
                   std::string_view message);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 9700;                   // 0 = pick a free port
  size_t max_body_bytes = 16 << 20;  // checkpoint bodies must exceed 6 MiB (protocol.md §6.1)
  int worker_threads = 64;           // blocking handlers (sync Invoke, runtime /next) hold one
  int keep_alive_idle_ms = 60'000;   // a kept-alive connection idle this long is closed
  int request_timeout_ms = 60'000;   // a begun request must arrive whole within this (else 408)
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registers a handler for every request whose first path segments equal `prefix` (segments,
  // e.g. {"2025-12-01", "durable-executions"}) and method matches ("" = any). Longest prefix wins.
  void Route(const std::string& method, std::vector<std::string> prefix, Handler handler);
  // Called when no route matches (default: 404 JSON).
  void SetNotFound(Handler handler);

  // Binds and starts serving on background threads; returns the bound port.
  Result<int> Start();
  void Stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string> Header(const std::string& name) const;
};

// Blocking HTTP/1.1 client for http:// and https:// base URLs (the CLI, the SDK's HTTP checkpoint
// client and tests). One Client keeps a connection to one host:port.
class Client {
 public:
  explicit Client(const std::string& base_url);  // e.g. "http://127.0.0.1:9700"
  ~Client();
  void SetTimeout(std::chrono::milliseconds timeout);
  Result<ClientResponse> Send(const std::string& method, const std::string& path_and_query,
                              const std::string& body = "", const Headers& headers = {},
                              const std::string& content_type = "application/json");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace durable::http
