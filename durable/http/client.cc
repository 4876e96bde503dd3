// http::Client over httplib::Client: one keep-alive connection per Client, raw paths (the caller
// percent-encodes), optional base path in the base URL ("http://host:port/base"). https:// base
// URLs use OpenSSL with server certificate verification against the system CA bundle.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT  // the distribution's libcpp-httplib is built with OpenSSL
#endif
#include <httplib.h>

#include <cstdlib>
#include <filesystem>

#include "durable/http/http.h"

namespace durable::http {
namespace {

// SSL_CERT_FILE, else the first CA bundle present (Debian/Ubuntu, then Amazon Linux / RHEL);
// empty = OpenSSL's compiled-in default locations.
std::string CaBundlePath() {
  const char* env = std::getenv("SSL_CERT_FILE");
  if (env != nullptr && *env != '\0') return env;
  for (const char* path :
       {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return path;
  }
  return "";
}

}  // namespace

struct Client::Impl {
  std::string base_path;  // prepended to every path, no trailing '/'
  std::unique_ptr<httplib::Client> cli;
};

Client::Client(const std::string& base_url) : impl_(std::make_unique<Impl>()) {
  std::string url = base_url;
  size_t scheme = url.find("://");
  size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t slash = url.find('/', host_start);
  if (slash != std::string::npos) {
    impl_->base_path = url.substr(slash);
    while (!impl_->base_path.empty() && impl_->base_path.back() == '/') impl_->base_path.pop_back();
    url.resize(slash);
  }
  if (scheme == std::string::npos) url = "http://" + url;
  impl_->cli = std::make_unique<httplib::Client>(url);
  if (url.rfind("https://", 0) == 0) {
    impl_->cli->enable_server_certificate_verification(true);
    std::string ca = CaBundlePath();
    if (!ca.empty()) impl_->cli->set_ca_cert_path(ca);
  }
  impl_->cli->set_keep_alive(true);
  impl_->cli->set_tcp_nodelay(true);
  impl_->cli->set_url_encode(false);
  impl_->cli->set_connection_timeout(std::chrono::seconds(10));
  // Long polls (runtime /next, synchronous Invoke) legitimately block for minutes.
  impl_->cli->set_read_timeout(std::chrono::minutes(16));
  impl_->cli->set_write_timeout(std::chrono::seconds(60));
}

Client::~Client() = default;

void Client::SetTimeout(std::chrono::milliseconds timeout) {
  impl_->cli->set_connection_timeout(timeout);
  impl_->cli->set_read_timeout(timeout);
  impl_->cli->set_write_timeout(timeout);
}

Result<ClientResponse> Client::Send(const std::string& method, const std::string& path_and_query,
                                    const std::string& body, const Headers& headers,
                                    const std::string& content_type) {
  httplib::Request req;
  req.method = method;
  req.path = impl_->base_path + path_and_query;
  for (const auto& [k, v] : headers) req.headers.emplace(k, v);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.body = body;
    if (!req.has_header("Content-Type")) req.set_header("Content-Type", content_type);
  }
  httplib::Result result = impl_->cli->send(req);
  if (!result) {
    return Unavailable("http " + method + " " + req.path + ": " +
                       httplib::to_string(result.error()));
  }
  ClientResponse out;
  out.status = result->status;
  for (const auto& [k, v] : result->headers) out.headers.emplace(k, v);
  out.body = std::move(result->body);
  return out;
}

}  // namespace durable::http
