// The Lambda-compatible REST API of `durable serve`: Invoke (2015-03-31) and every durable
// execution operation (2025-12-01), translating HTTP <-> engine calls (protocol.md §6–§12).
// Handlers are thread-safe; the engine must outlive the server.
#pragma once

#include <chrono>
#include <cstddef>

#include "durable/engine/engine.h"
#include "durable/http/http.h"

namespace durable::api {

struct LambdaApiOptions {
  size_t max_sync_payload_bytes = 6 * 1024 * 1024;  // RequestResponse Invoke body
  size_t max_async_payload_bytes = 1024 * 1024;     // Event Invoke body
  size_t max_callback_result_bytes = 1024 * 1024;   // SendDurableExecutionCallbackSuccess body
  std::chrono::milliseconds max_sync_wait{15 * 60 * 1000};  // sync Invoke waits at most this long
};

void RegisterLambdaRoutes(http::Server& server, engine::Engine& engine, LambdaApiOptions options);

}  // namespace durable::api
