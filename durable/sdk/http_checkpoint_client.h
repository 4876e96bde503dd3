// HttpCheckpointClient: the CheckpointClient of a function process — the AWS REST API
// (POST .../checkpoint, GET .../state under /2025-12-01/durable-executions/{arn}) over
// durable::http::Client, aimed at AWS_ENDPOINT_URL_LAMBDA (then AWS_ENDPOINT_URL). Error answers
// are mapped to Statuses as CheckpointClient documents. Requests are not signed: `durable serve`
// ignores signatures; real AWS needs SigV4 through the `sign` hook (TODO). Thread-safe (one
// request at a time per client).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "durable/sdk/checkpoint_client.h"

namespace durable::http {
class Client;
}

namespace durable::sdk {

struct SignableRequest {
  std::string method;
  std::string path_and_query;
  std::map<std::string, std::string> headers;  // add Authorization, X-Amz-Date, ... here
  std::string body;
};

class HttpCheckpointClient final : public CheckpointClient {
 public:
  // `endpoint` e.g. "http://127.0.0.1:9700".
  explicit HttpCheckpointClient(const std::string& endpoint);
  ~HttpCheckpointClient() override;

  // Endpoint from AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL. Real AWS endpoints
  // (https + SigV4) are not supported yet: NotFound when neither variable is set.
  static Result<std::unique_ptr<HttpCheckpointClient>> FromEnvironment();

  // TODO(sigv4): install a SigV4 signer (service "lambda", region from AWS_REGION, credentials
  // from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN) to talk to real AWS.
  void SetSigner(std::function<Status(SignableRequest&)> sign) { sign_ = std::move(sign); }

  Result<model::CheckpointResponse> Checkpoint(const std::string& durable_execution_arn,
                                               const model::CheckpointRequest& request) override;
  Result<model::StateResponse> GetState(const std::string& durable_execution_arn,
                                        const model::StateRequest& request) override;

 private:
  Result<std::string> Call(const std::string& method, const std::string& path_and_query,
                           const std::string& body);

  std::mutex mu_;
  std::unique_ptr<http::Client> http_;
  std::function<Status(SignableRequest&)> sign_;
};

// Maps a non-2xx answer of the Lambda API to a Status (protocol.md §2.1): "Invalid Checkpoint
// Token" -> kInvalidToken, 429 -> kUnavailable, 5xx except KMS* -> kInternal, else
// kInvalidArgument (execution-scoped).
Status StatusFromAwsError(int http_status, const std::string& error_type_header,
                          const std::string& body);

}  // namespace durable::sdk
