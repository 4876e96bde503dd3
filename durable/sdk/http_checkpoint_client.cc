#include "durable/sdk/http_checkpoint_client.h"

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

}  // namespace

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
  for (const char* var : {"AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"}) {
    const char* value = std::getenv(var);
    if (value != nullptr && *value != '\0') return std::make_unique<HttpCheckpointClient>(value);
  }
  return NotFound(
      "no checkpoint endpoint: set AWS_ENDPOINT_URL_LAMBDA (real AWS endpoints need SigV4, "
      "not implemented yet)");
}

Result<std::string> HttpCheckpointClient::Call(const std::string& method,
                                               const std::string& path_and_query,
                                               const std::string& body) {
  SignableRequest req{method, path_and_query, {}, body};
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
