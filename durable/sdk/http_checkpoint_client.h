// HttpCheckpointClient: the CheckpointClient of a function process — the AWS REST API
// (POST .../checkpoint, GET .../state under /2025-12-01/durable-executions/{arn}) over
// durable::http::Client (http or https), aimed at the endpoint the AWS SDKs would use. Error
// answers are mapped to Statuses as CheckpointClient documents. With AWS credentials in the
// environment every request is SigV4-signed (`durable serve` ignores signatures). Thread-safe
// (one request at a time per client).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "durable/base/clock.h"
#include "durable/sdk/checkpoint_client.h"
#include "durable/sdk/sigv4.h"

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

  // Endpoint resolution as in the AWS SDKs: AWS_ENDPOINT_URL_LAMBDA, else AWS_ENDPOINT_URL, else
  // https://lambda.<AWS_REGION>.amazonaws.com (NotFound when none is set). When AWS_ACCESS_KEY_ID
  // and AWS_SECRET_ACCESS_KEY are set (as Lambda sets them for a function), installs
  // SigV4Signer with AWS_SESSION_TOKEN and region AWS_REGION (else AWS_DEFAULT_REGION, else
  // us-east-1).
  static Result<std::unique_ptr<HttpCheckpointClient>> FromEnvironment();

  // Called on every request before it is sent; may add headers (see SigV4Signer).
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

// A SetSigner hook signing with SigV4 for service "lambda": adds Host (from `endpoint`),
// X-Amz-Date (from `clock`, default the system clock), X-Amz-Security-Token (with a session
// token) and Authorization. A base path in `endpoint` is part of the signed path.
std::function<Status(SignableRequest&)> SigV4Signer(const std::string& endpoint,
                                                    sigv4::Credentials credentials,
                                                    std::string region,
                                                    const Clock* clock = nullptr);

// The default Lambda endpoint of a region: https://lambda.<region>.amazonaws.com (".com.cn" for
// cn-* regions).
std::string DefaultLambdaEndpoint(const std::string& region);

// Maps a non-2xx answer of the Lambda API to a Status (protocol.md §2.1): "Invalid Checkpoint
// Token" -> kInvalidToken, 429 -> kUnavailable, 5xx except KMS* -> kInternal, else
// kInvalidArgument (execution-scoped).
Status StatusFromAwsError(int http_status, const std::string& error_type_header,
                          const std::string& body);

}  // namespace durable::sdk
