// Test-only helpers shared by the host tests: a ProcessInvoker serving a template's functions
// behind a real http::Server on port 0, and building / awaiting invocations. Not in the library.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/host/process_invoker.h"
#include "durable/host/template.h"
#include "durable/http/http.h"

namespace durable::host::testing {

struct InvokerUnderTest {
  std::unique_ptr<http::Server> server;
  std::unique_ptr<ProcessInvoker> invoker;
  int port = 0;

  // Starts the server with the invoker's Runtime API routes, then adds every template function.
  Status Start(const Template& tpl, const ProcessInvokerOptions& options, int worker_threads) {
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = worker_threads;
    server = std::make_unique<http::Server>(server_options);
    invoker = std::make_unique<ProcessInvoker>(options);
    invoker->RegisterRoutes(*server);
    DURABLE_ASSIGN_OR_RETURN(port, server->Start());
    invoker->SetApiPort(port);
    for (const FunctionSpec& spec : tpl.functions) {
      DURABLE_RETURN_IF_ERROR(invoker->AddFunction(spec));
    }
    return Status::Ok();
  }

  // Invoker first: it releases the /next long polls that would hold the server's Stop.
  void Stop() {
    if (invoker) invoker->Shutdown();
    if (server) server->Stop();
  }
};

// A first invocation of `fn` whose EXECUTION operation carries `payload` as its input.
inline engine::InvocationRequest MakeRequest(const std::string& fn, const std::string& payload,
                                             int64_t timeout_ms = 0) {
  engine::InvocationRequest request;
  request.function_name = fn;
  request.request_id = NewUuid();
  request.timeout_ms = timeout_ms;
  request.input.durable_execution_arn =
      "arn:aws:lambda:us-east-1:123456789012:function:" + fn + ":$LATEST/durable-execution/n/1";
  request.input.checkpoint_token = "token-1";
  model::Operation op;
  op.id = "exec-1";
  op.type = model::OperationType::kExecution;
  op.status = model::OperationStatus::kStarted;
  op.start_timestamp = 1'760'000'000'000;
  op.execution_details = model::ExecutionDetails{payload};
  request.input.initial_execution_state.operations.push_back(op);
  return request;
}

inline std::future<engine::InvocationResult> InvokeAsync(engine::Invoker& invoker,
                                                         engine::InvocationRequest request) {
  auto promise = std::make_shared<std::promise<engine::InvocationResult>>();
  auto future = promise->get_future();
  invoker.Invoke(std::move(request),
                 [promise](engine::InvocationResult r) { promise->set_value(std::move(r)); });
  return future;
}

// Waits up to 20 s; a timeout is a test failure and yields an empty result.
inline engine::InvocationResult InvokeAndWait(engine::Invoker& invoker,
                                              engine::InvocationRequest request) {
  auto future = InvokeAsync(invoker, std::move(request));
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    ADD_FAILURE() << "invocation did not complete";
    return {};
  }
  return future.get();
}

}  // namespace durable::host::testing
