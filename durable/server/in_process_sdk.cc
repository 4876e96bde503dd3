#include "durable/server/in_process_sdk.h"

namespace durable::server {

host::InProcessHandler MakeInProcessHandler(engine::Engine& engine, sdk::Handler handler) {
  return [&engine, handler = std::move(handler)](engine::InvocationRequest request) {
    EngineCheckpointClient client(engine);
    sdk::RunOptions options;
    options.request_id = request.request_id;
    auto output = sdk::RunDurableInvocation(handler, std::move(request.input), client, options);
    engine::InvocationResult result;
    if (output.ok()) {
      result.output = std::move(*output);
    } else {
      model::ErrorObject error;
      error.error_type = "Runtime.InvocationError";
      error.error_message = output.status().message();
      result.function_error = std::move(error);
    }
    return result;
  };
}

}  // namespace durable::server
