// Names, ARNs and opaque tokens of the engine: function-name resolution input parsing
// (protocol.md §12.1/§12.2), execution ARNs, deterministic child-execution names, checkpoint
// tokens, paging markers and callback ids. Pure except NewCallbackId (random). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace durable::engine {

// FNV-1a 64-bit hash as 16 lower-case hex characters (stable across processes).
std::string HashHex(std::string_view data);

// 1-64 characters of [a-zA-Z0-9-_].
bool ValidExecutionName(std::string_view name);

// A FunctionName as given to Invoke: plain name, "name:qualifier", "123456789012:function:name",
// or a full ARN, each optionally qualified.
struct FunctionRef {
  std::string name;
  std::optional<std::string> qualifier;
  std::optional<std::string> region;
  std::optional<std::string> account;
};
std::optional<FunctionRef> ParseFunctionName(std::string_view function_name);

std::string BuildFunctionArn(const std::string& region, const std::string& account,
                             const std::string& function, const std::string& version);
std::string BuildExecutionArn(const std::string& region, const std::string& account,
                              const std::string& function, const std::string& version,
                              const std::string& name, const std::string& execution_id);
// Deterministic from (parent execution id, operation id): a retried START names the same child.
std::string ChildExecutionName(const std::string& parent_execution_id,
                               const std::string& operation_id);

// Checkpoint token: base64 (standard alphabet) of the execution id, invocation id and sequence.
struct TokenParts {
  std::string execution_id;
  std::string invocation_id;
  int64_t sequence = 0;
};
std::string MakeCheckpointToken(const TokenParts& parts);
std::optional<TokenParts> ParseCheckpointToken(std::string_view token);

// Paging markers: an opaque scope (invocation id + snapshot, or "history") plus an index.
std::string MakeMarker(const std::string& scope, int64_t index);
std::optional<int64_t> ParseMarker(std::string_view marker, const std::string& scope);

// Callback id: base64 of the execution ARN and 32 random bytes (unguessable bearer id).
std::string NewCallbackId(const std::string& arn);
// The ARN embedded in a callback id, if it is well-formed.
std::optional<std::string> ArnOfCallbackId(std::string_view callback_id);

}  // namespace durable::engine
