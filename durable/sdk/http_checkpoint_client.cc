#include "durable/sdk/http_checkpoint_client.h"

#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/http/http.h"
#include "durable/wire/wire.h"

namespace durable::sdk {
namespace {

constexpr char kPrefix[] = "/2025-12-01/durable-executions/";

std::string MessageOf(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object()) {
    for (const char* key : {"message", "Message", "errorMessage"}) {
      if (j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
    }
  }
  return body;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// "https://host:443/base" -> Host header "host" (default port dropped) and base path "/base".
struct EndpointParts {
  std::string host;
  std::string base_path;
};

EndpointParts SplitEndpoint(const std::string& endpoint) {
  EndpointParts parts;
  size_t scheme_end = endpoint.find("://");
  std::string scheme = scheme_end == std::string::npos ? "http" : endpoint.substr(0, scheme_end);
  size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  size_t slash = endpoint.find('/', start);
  parts.host =
      endpoint.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
  if (slash != std::string::npos) parts.base_path = endpoint.substr(slash);
  while (!parts.base_path.empty() && parts.base_path.back() == '/') parts.base_path.pop_back();
  for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  std::string default_port = scheme == "https" ? ":443" : ":80";
  if (parts.host.size() > default_port.size() &&
      parts.host.compare(parts.host.size() - default_port.size(), std::string::npos,
                         default_port) == 0) {
    parts.host.resize(parts.host.size() - default_port.size());
  }
  return parts;
}

}  // namespace

std::string DefaultLambdaEndpoint(const std::string& region) {
  std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://lambda." + region + suffix;
}

std::function<Status(SignableRequest&)> SigV4Signer(const std::string& endpoint,
                                                    sigv4::Credentials credentials,
                                                    std::string region, const Clock* clock) {
  if (clock == nullptr) clock = SystemClock::Get();
  EndpointParts parts = SplitEndpoint(endpoint);
  return [parts, credentials = std::move(credentials), scope = sigv4::Scope{region, "lambda"},
          clock](SignableRequest& req) -> Status {
    req.headers["Host"] = parts.host;
    req.headers["X-Amz-Date"] = sigv4::AmzDate(clock->NowMs());
    if (!credentials.session_token.empty()) {
      req.headers["X-Amz-Security-Token"] = credentials.session_token;
    }
    sigv4::Request to_sign{req.method,
                           parts.base_path + req.path_and_query,
                           {req.headers.begin(), req.headers.end()},
                           req.body};
    req.headers["Authorization"] = sigv4::Sign(to_sign, credentials, scope).authorization;
    return Status::Ok();
  };
}

Status StatusFromAwsError(int http_status, const std::string& error_type, const std::string& body) {
  std::string message = MessageOf(body);
  std::string full =
      (error_type.empty() ? "HTTP " + std::to_string(http_status) : error_type) + ": " + message;
  if (message.rfind("Invalid Checkpoint Token", 0) == 0) return InvalidToken(full);
  if (http_status == 429) return Unavailable(full);
  if (http_status >= 500 && error_type.rfind("KMS", 0) != 0) return Internal(full);
  return InvalidArgument(full);
}

HttpCheckpointClient::HttpCheckpointClient(const std::string& endpoint)
    : http_(std::make_unique<http::Client>(endpoint)) {}

HttpCheckpointClient::~HttpCheckpointClient() = default;

Result<std::unique_ptr<HttpCheckpointClient>> HttpCheckpointClient::FromEnvironment() {
  std::string region = Env("AWS_REGION");
  if (region.empty()) region = Env("AWS_DEFAULT_REGION");
  std::string endpoint = Env("AWS_ENDPOINT_URL_LAMBDA");
  if (endpoint.empty()) endpoint = Env("AWS_ENDPOINT_URL");
  if (endpoint.empty() && !region.empty()) endpoint = DefaultLambdaEndpoint(region);
  if (endpoint.empty()) {
    return NotFound("no checkpoint endpoint: set AWS_REGION (real AWS) or AWS_ENDPOINT_URL_LAMBDA");
  }
  auto client = std::make_unique<HttpCheckpointClient>(endpoint);
  sigv4::Credentials credentials{Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"),
                                 Env("AWS_SESSION_TOKEN")};
  if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) {
    client->SetSigner(
        SigV4Signer(endpoint, std::move(credentials), region.empty() ? "us-east-1" : region));
  }
  return client;
}

Result<std::string> HttpCheckpointClient::Call(const std::string& method,
                                               const std::string& path_and_query,
                                               const std::string& body) {
  SignableRequest req{method, path_and_query, {}, body};
  // Set here, not by http::Client, so that a signer signs the Content-Type that is sent.
  if (method == "POST") req.headers["Content-Type"] = "application/json";
  if (sign_) DURABLE_RETURN_IF_ERROR(sign_(req));
  http::Headers headers(req.headers.begin(), req.headers.end());
  std::lock_guard<std::mutex> lock(mu_);
  auto resp = http_->Send(method, path_and_query, body, headers);
  if (!resp.ok()) return Internal(resp.status().message());  // network: invocation-scoped
  if (resp->status / 100 == 2) return std::move(resp->body);
  return StatusFromAwsError(resp->status, resp->Header("X-Amzn-ErrorType").value_or(""),
                            resp->body);
}

Result<model::CheckpointResponse> HttpCheckpointClient::Checkpoint(
    const std::string& arn, const model::CheckpointRequest& request) {
  DURABLE_ASSIGN_OR_RETURN(std::string body,
                           Call("POST", kPrefix + PercentEncode(arn) + "/checkpoint",
                                wire::SerializeCheckpointRequest(request)));
  auto parsed = wire::ParseCheckpointResponse(body);
  if (!parsed.ok()) return Internal("unreadable checkpoint response: " + parsed.status().message());
  return parsed;
}

Result<model::StateResponse> HttpCheckpointClient::GetState(const std::string& arn,
                                                            const model::StateRequest& request) {
  std::string path = kPrefix + PercentEncode(arn) +
                     "/state?CheckpointToken=" + PercentEncode(request.checkpoint_token);
  if (request.marker) path += "&Marker=" + PercentEncode(*request.marker);
  if (request.max_items) path += "&MaxItems=" + std::to_string(*request.max_items);
  DURABLE_ASSIGN_OR_RETURN(std::string body, Call("GET", path, ""));
  auto parsed = wire::ParseStateResponse(body);
  if (!parsed.ok()) return Internal("unreadable state response: " + parsed.status().message());
  return parsed;
}

}  // namespace durable::sdk
