// JSON <-> model for every AWS shape (protocol.md §3, §5–§11). The only module besides the SDK
// that includes the JSON library. Timestamps: REST bodies use epoch *seconds* (JSON numbers,
// millisecond fraction); the invocation envelope uses epoch *milliseconds* (JSON integers).
// Absent optionals are omitted, never written as null. Parsers reject wrong JSON types with an
// InvalidArgument status naming the member. All functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "durable/base/result.h"
#include "durable/model/api.h"

namespace durable::wire {

enum class TimeUnit { kSeconds, kMillis };

// --- invocation envelope (epoch ms) ---
std::string SerializeInvocationInput(const model::InvocationInput& input);
Result<model::InvocationInput> ParseInvocationInput(std::string_view json);
std::string SerializeInvocationOutput(const model::InvocationOutput& output);
Result<model::InvocationOutput> ParseInvocationOutput(std::string_view json);

// --- CheckpointDurableExecution ---
std::string SerializeCheckpointRequest(const model::CheckpointRequest& request);
Result<model::CheckpointRequest> ParseCheckpointRequest(std::string_view json);
std::string SerializeCheckpointResponse(const model::CheckpointResponse& response);
Result<model::CheckpointResponse> ParseCheckpointResponse(std::string_view json);

// --- GetDurableExecutionState ---
std::string SerializeStateResponse(const model::StateResponse& response);
Result<model::StateResponse> ParseStateResponse(std::string_view json);

// --- GetDurableExecution (include_data=false drops InputPayload/Result/Error and sets
//     ExecutionDataIncluded=false) ---
std::string SerializeGetExecutionResponse(const model::DurableExecution& execution,
                                          bool include_data);
Result<model::DurableExecution> ParseGetExecutionResponse(std::string_view json);

// --- GetDurableExecutionHistory (include_data=false: payloads omitted, Truncated=true) ---
std::string SerializeHistoryResponse(const model::HistoryResponse& response, bool include_data);
Result<model::HistoryResponse> ParseHistoryResponse(std::string_view json);

// --- ListDurableExecutionsByFunction ---
std::string SerializeListResponse(const model::ListResponse& response);
Result<model::ListResponse> ParseListResponse(std::string_view json);

// --- StopDurableExecution / SendDurableExecutionCallbackFailure bodies: the ErrorObject itself;
//     an empty body or null -> nullopt; "{}" -> an ErrorObject with every member absent ---
Result<std::optional<model::ErrorObject>> ParseErrorObjectBody(std::string_view json);
std::string SerializeErrorObject(const model::ErrorObject& error);
std::string SerializeStopResponse(TimestampMs stop_timestamp);

// --- single shapes (golden tests, other modules) ---
std::string SerializeOperation(const model::Operation& op, TimeUnit unit);
Result<model::Operation> ParseOperation(std::string_view json, TimeUnit unit);
std::string SerializeOperationUpdate(const model::OperationUpdate& update);
Result<model::OperationUpdate> ParseOperationUpdate(std::string_view json);
std::string SerializeEvent(const model::Event& event, bool include_data);
Result<model::Event> ParseEvent(std::string_view json);

// --- AWS error body: {"Type": "User"|"Service", "message": m, "Message": m} ---
std::string SerializeErrorBody(std::string_view message, bool server_fault);

// --- plain Lambda bodies ---
// Function-error body of a synchronous Invoke: {"errorType", "errorMessage", ...}.
std::string SerializeLambdaFunctionError(const model::ErrorObject& error);
// What `durable invoke` prints: {"StatusCode", "DurableExecutionArn", "FunctionError"?,
// "Payload"?} (a JSON payload is embedded as JSON, anything else as a string).
std::string SerializeInvokeSummary(const std::string& arn, int status_code,
                                   const std::optional<std::string>& function_error,
                                   const std::optional<std::string>& payload);

// Is `s` syntactically valid JSON text?
bool IsValidJson(std::string_view s);

}  // namespace durable::wire
