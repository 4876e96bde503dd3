// The Lambda Runtime API loop for C++ durable functions: reads AWS_LAMBDA_RUNTIME_API, long-polls
// GET /2018-06-01/runtime/invocation/next, runs the durable invocation and POSTs the output to
// .../response (or a function error to .../error so that the engine re-invokes). One binary may
// hold many handlers; `_HANDLER` selects one by name. Returns 0 when the runtime API goes away.
// Runs on the calling thread; not reentrant.
#pragma once

#include <map>
#include <string>

#include "durable/sdk/checkpoint_client.h"
#include "durable/sdk/execution.h"

namespace durable::sdk {

struct RuntimeOptions {
  std::string runtime_api;                        // host:port; empty = $AWS_LAMBDA_RUNTIME_API
  std::string handler_name;                       // empty = $_HANDLER
  CheckpointClient* checkpoint_client = nullptr;  // null = HttpCheckpointClient::FromEnvironment
  RunOptions run;
  int max_invocations = -1;  // < 0 = until the runtime API goes away (tests set a limit)
};

int RunLambdaRuntime(Handler handler, RuntimeOptions options = {});
int RunLambdaRuntime(const std::map<std::string, Handler>& handlers, RuntimeOptions options = {});

}  // namespace durable::sdk
