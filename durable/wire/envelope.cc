// The invocation envelope (protocol.md §3): input event with epoch-millisecond timestamps, and the
// handler's output, validated per §3.2.
#include <array>

#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace {

using internal::OJson;
using internal::Reader;
using model::InvocationStatus;

constexpr std::array<std::string_view, 3> kInvocationStatuses = {"SUCCEEDED", "FAILED", "PENDING"};

std::string_view StatusName(InvocationStatus s) {
  return kInvocationStatuses[static_cast<size_t>(s)];
}

std::optional<InvocationStatus> ParseStatus(std::string_view s) {
  for (size_t i = 0; i < kInvocationStatuses.size(); ++i) {
    if (kInvocationStatuses[i] == s) return static_cast<InvocationStatus>(i);
  }
  return std::nullopt;
}

Result<model::InvocationInput> InputFromJson(const Reader& r) {
  model::InvocationInput in;
  DURABLE_RETURN_IF_ERROR(r.ReqStr("DurableExecutionArn", &in.durable_execution_arn));
  DURABLE_RETURN_IF_ERROR(r.ReqStr("CheckpointToken", &in.checkpoint_token));
  DURABLE_ASSIGN_OR_RETURN(auto state, r.Child("InitialExecutionState"));
  if (!state) return r.Missing("InitialExecutionState");
  DURABLE_RETURN_IF_ERROR(internal::OperationList(*state, "Operations", TimeUnit::kMillis,
                                                  &in.initial_execution_state.operations));
  DURABLE_RETURN_IF_ERROR(state->Str("NextMarker", &in.initial_execution_state.next_marker));
  DURABLE_RETURN_IF_ERROR(r.StrList("UpdatedOperationIds", &in.updated_operation_ids));
  return in;
}

Result<model::InvocationOutput> OutputFromJson(const Reader& r) {
  model::InvocationOutput out;
  DURABLE_RETURN_IF_ERROR(r.ReqEnum("Status", ParseStatus, &out.status));
  DURABLE_RETURN_IF_ERROR(r.Str("Result", &out.result));
  DURABLE_RETURN_IF_ERROR(internal::OptErrorObject(r, "Error", &out.error));
  if (out.status == InvocationStatus::kFailed && out.result) {
    return InvalidArgument("invocation output with Status FAILED must not carry Result");
  }
  if (out.status == InvocationStatus::kSucceeded && out.error) {
    return InvalidArgument("invocation output with Status SUCCEEDED must not carry Error");
  }
  return out;
}

}  // namespace

std::string SerializeInvocationInput(const model::InvocationInput& input) {
  OJson o = OJson::object();
  o["DurableExecutionArn"] = input.durable_execution_arn;
  o["CheckpointToken"] = input.checkpoint_token;
  OJson state = OJson::object();
  state["Operations"] =
      internal::OperationListToJson(input.initial_execution_state.operations, TimeUnit::kMillis);
  internal::PutIf(state, "NextMarker", input.initial_execution_state.next_marker);
  o["InitialExecutionState"] = std::move(state);
  internal::PutIf(o, "UpdatedOperationIds", input.updated_operation_ids);
  return internal::Dump(o);
}

Result<model::InvocationInput> ParseInvocationInput(std::string_view json) {
  return internal::ParseObject<model::InvocationInput>(json, InputFromJson);
}

std::string SerializeInvocationOutput(const model::InvocationOutput& output) {
  OJson o = OJson::object();
  o["Status"] = StatusName(output.status);
  internal::PutIf(o, "Result", output.result);
  if (output.error) o["Error"] = internal::ErrorObjectToJson(*output.error);
  return internal::Dump(o);
}

Result<model::InvocationOutput> ParseInvocationOutput(std::string_view json) {
  return internal::ParseObject<model::InvocationOutput>(json, OutputFromJson);
}

}  // namespace durable::wire
