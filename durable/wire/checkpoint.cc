// CheckpointDurableExecution (protocol.md §6.1, §6.5) and GetDurableExecutionState (§7) bodies.
// REST bodies: timestamps in epoch seconds.
#include "durable/base/macros.h"
#include "durable/wire/codecs.h"
#include "durable/wire/wire.h"

namespace durable::wire {
namespace {

using internal::OJson;
using internal::Reader;

Result<model::CheckpointRequest> RequestFromJson(const Reader& r) {
  model::CheckpointRequest req;
  DURABLE_RETURN_IF_ERROR(r.ReqStr("CheckpointToken", &req.checkpoint_token));
  DURABLE_RETURN_IF_ERROR(r.Str("ClientToken", &req.client_token));
  DURABLE_RETURN_IF_ERROR(r.ForEach("Updates", [&](const Reader& u) -> Status {
    DURABLE_ASSIGN_OR_RETURN(model::OperationUpdate update, internal::OperationUpdateFromJson(u));
    req.updates.push_back(std::move(update));
    return Status::Ok();
  }));
  return req;
}

Result<model::CheckpointResponse> ResponseFromJson(const Reader& r) {
  model::CheckpointResponse resp;
  DURABLE_RETURN_IF_ERROR(r.Str("CheckpointToken", &resp.checkpoint_token));
  DURABLE_ASSIGN_OR_RETURN(auto state, r.Child("NewExecutionState"));
  if (state) {
    DURABLE_RETURN_IF_ERROR(
        internal::OperationList(*state, "Operations", TimeUnit::kSeconds, &resp.operations));
    DURABLE_RETURN_IF_ERROR(state->Str("NextMarker", &resp.next_marker));
  }
  return resp;
}

Result<model::StateResponse> StateFromJson(const Reader& r) {
  model::StateResponse resp;
  DURABLE_RETURN_IF_ERROR(
      internal::OperationList(r, "Operations", TimeUnit::kSeconds, &resp.operations));
  DURABLE_RETURN_IF_ERROR(r.Str("NextMarker", &resp.next_marker));
  return resp;
}

}  // namespace

std::string SerializeCheckpointRequest(const model::CheckpointRequest& request) {
  OJson o = OJson::object();
  o["CheckpointToken"] = request.checkpoint_token;
  internal::PutIf(o, "ClientToken", request.client_token);
  OJson updates = OJson::array();
  for (const auto& u : request.updates) updates.push_back(internal::OperationUpdateToJson(u));
  o["Updates"] = std::move(updates);
  return internal::Dump(o);
}

Result<model::CheckpointRequest> ParseCheckpointRequest(std::string_view json) {
  return internal::ParseObject<model::CheckpointRequest>(json, RequestFromJson);
}

std::string SerializeCheckpointResponse(const model::CheckpointResponse& response) {
  OJson o = OJson::object();
  internal::PutIf(o, "CheckpointToken", response.checkpoint_token);
  OJson state = OJson::object();
  state["Operations"] = internal::OperationListToJson(response.operations, TimeUnit::kSeconds);
  internal::PutIf(state, "NextMarker", response.next_marker);
  o["NewExecutionState"] = std::move(state);
  return internal::Dump(o);
}

Result<model::CheckpointResponse> ParseCheckpointResponse(std::string_view json) {
  return internal::ParseObject<model::CheckpointResponse>(json, ResponseFromJson);
}

std::string SerializeStateResponse(const model::StateResponse& response) {
  OJson o = OJson::object();
  o["Operations"] = internal::OperationListToJson(response.operations, TimeUnit::kSeconds);
  internal::PutIf(o, "NextMarker", response.next_marker);
  return internal::Dump(o);
}

Result<model::StateResponse> ParseStateResponse(std::string_view json) {
  return internal::ParseObject<model::StateResponse>(json, StateFromJson);
}

}  // namespace durable::wire
