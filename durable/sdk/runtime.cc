#include "durable/sdk/runtime.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "durable/http/http.h"
#include "durable/sdk/http_checkpoint_client.h"
#include "durable/wire/wire.h"

namespace durable::sdk {
namespace {

constexpr char kApi[] = "/2018-06-01/runtime";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string ErrorBody(const std::string& type, const std::string& message) {
  return nlohmann::json{{"errorType", type}, {"errorMessage", message}, {"stackTrace", nullptr}}
      .dump();
}

void PostError(http::Client& api, const std::string& path, const std::string& type,
               const std::string& message) {
  std::cerr << "durable runtime: " << type << ": " << message << std::endl;
  http::Headers headers{{"Lambda-Runtime-Function-Error-Type", type}};
  auto resp = api.Send("POST", path, ErrorBody(type, message), headers);
  if (!resp.ok()) std::cerr << "durable runtime: " << resp.status().ToString() << std::endl;
}

// Handles one invocation; false when the runtime API is gone.
bool ServeOne(http::Client& api, const Handler& handler, CheckpointClient& client,
              const RunOptions& run) {
  auto next = api.Send("GET", std::string(kApi) + "/invocation/next");
  if (!next.ok() || next->status != 200) return false;
  std::string request_id = next->Header("Lambda-Runtime-Aws-Request-Id").value_or("");
  std::string base = std::string(kApi) + "/invocation/" + request_id;
  auto input = wire::ParseInvocationInput(next->body);
  if (!input.ok()) {
    PostError(
        api, base + "/error", "Runtime.InvalidDurableEnvelope",
        "Unexpected payload provided to start the durable execution: " + input.status().message());
    return true;
  }
  RunOptions options = run;
  options.request_id = request_id;
  auto output = RunDurableInvocation(handler, *input, client, options);
  if (!output.ok()) {
    PostError(api, base + "/error", "Runtime.DurableInvocationError", output.status().message());
    return true;
  }
  auto resp = api.Send("POST", base + "/response", wire::SerializeInvocationOutput(*output));
  if (!resp.ok()) std::cerr << "durable runtime: " << resp.status().ToString() << std::endl;
  return true;
}

}  // namespace

int RunLambdaRuntime(Handler handler, RuntimeOptions options) {
  std::string name = options.handler_name.empty() ? Env("_HANDLER") : options.handler_name;
  return RunLambdaRuntime(std::map<std::string, Handler>{{name, std::move(handler)}},
                          std::move(options));
}

int RunLambdaRuntime(const std::map<std::string, Handler>& handlers, RuntimeOptions options) {
  std::string runtime_api =
      options.runtime_api.empty() ? Env("AWS_LAMBDA_RUNTIME_API") : options.runtime_api;
  if (runtime_api.empty()) {
    std::cerr << "durable runtime: AWS_LAMBDA_RUNTIME_API is not set" << std::endl;
    return 1;
  }
  http::Client api("http://" + runtime_api);
  std::string name = options.handler_name.empty() ? Env("_HANDLER") : options.handler_name;
  auto it = handlers.find(name);
  if (it == handlers.end() && handlers.size() == 1) it = handlers.begin();
  if (it == handlers.end()) {
    PostError(api, std::string(kApi) + "/init/error", "Runtime.HandlerNotFound",
              "no durable handler named '" + name + "'");
    return 1;
  }
  std::unique_ptr<CheckpointClient> owned;
  CheckpointClient* client = options.checkpoint_client;
  if (client == nullptr) {
    auto made = HttpCheckpointClient::FromEnvironment();
    if (!made.ok()) {
      PostError(api, std::string(kApi) + "/init/error", "Runtime.ConfigurationError",
                made.status().message());
      return 1;
    }
    owned = std::move(made).value();
    client = owned.get();
  }
  for (int served = 0; options.max_invocations < 0 || served < options.max_invocations; ++served) {
    if (!ServeOne(api, it->second, *client, options.run)) return 0;
  }
  return 0;
}

}  // namespace durable::sdk
