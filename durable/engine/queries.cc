// Read APIs (GetDurableExecution, history, list) and StopDurableExecution (protocol.md §8–§10).
#include <algorithm>

#include "durable/base/macros.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {

Result<model::DurableExecution> EngineImpl::GetExecution(const std::string& arn) {
  // A read: an evicted (suspended) execution is read from the store and stays out of memory.
  DURABLE_ASSIGN_OR_RETURN(std::shared_ptr<Live> live, GetLive(arn, /*cache=*/false));
  std::lock_guard<std::mutex> lock(live->mu);
  if (live->purged) return NotFound("Durable execution not found: " + arn);
  return live->state.execution;
}

Result<model::HistoryResponse> EngineImpl::GetHistory(const std::string& arn,
                                                      const model::HistoryRequest& request) {
  // Read straight from the store (which answers NotFound for an unknown or purged execution):
  // loading the execution's state only to check that it exists would also bring a suspended,
  // evicted execution back into memory.
  int32_t max_items = request.max_items.value_or(0);
  if (max_items < 0 || max_items > 1000) {
    return InvalidArgument("MaxItems must be between 0 and 1000.");
  }
  auto events = store_->Events(arn, 0, 0);
  if (!events.ok()) {
    if (events.status().code() == StatusCode::kNotFound) {
      return NotFound("Durable execution not found: " + arn);
    }
    return Internal("storage error: " + events.status().message());
  }
  std::vector<model::Event>& all = *events;
  if (request.reverse_order) std::reverse(all.begin(), all.end());
  std::string scope = "history/" + arn + (request.reverse_order ? "/r" : "/f");
  size_t from = 0;
  if (request.marker && !request.marker->empty()) {
    auto index = ParseMarker(*request.marker, scope);
    if (!index || *index > static_cast<int64_t>(all.size())) {
      return InvalidArgument("Invalid Marker.");
    }
    from = static_cast<size_t>(*index);
  }
  // Without MaxItems every event comes in one page (the conformance runner relies on it).
  size_t end = max_items == 0 ? all.size() : std::min(all.size(), from + max_items);
  model::HistoryResponse response;
  response.events.assign(all.begin() + from, all.begin() + end);
  if (end < all.size()) response.next_marker = MakeMarker(scope, static_cast<int64_t>(end));
  return response;
}

Result<model::ListResponse> EngineImpl::ListExecutions(const model::ListRequest& request) {
  std::optional<FunctionRef> ref = ParseFunctionName(request.function_name);
  if (!ref || !FindFunction(ref->name)) {
    return NotFound("Function not found: " + request.function_name);
  }
  model::ListRequest scoped = request;
  scoped.function_name = ref->name;
  if (!scoped.qualifier && ref->qualifier) scoped.qualifier = ref->qualifier;
  auto listed = store_->List(scoped);
  if (!listed.ok() && listed.status().code() != StatusCode::kInvalidArgument) {
    return Internal("storage error: " + listed.status().message());
  }
  return listed;
}

Result<TimestampMs> EngineImpl::Stop(const std::string& arn,
                                     const std::optional<model::ErrorObject>& error) {
  TimestampMs stopped_at = 0;
  Status st = Mutate(arn, [&](Live&, ExecutionState& s, Transition& t) {
    if (!s.Running()) {
      // Idempotent on a closed execution: answer with the time it closed.
      stopped_at = s.execution.end_timestamp.value_or(s.execution.start_timestamp);
      return Status::Ok();
    }
    stopped_at = clock_->NowMs();
    model::ErrorObject e = error.value_or(model::ErrorObject{});
    if (e == model::ErrorObject{}) {
      e = MakeError("Execution.Stopped", "Execution stopped by user request");
    }
    CloseExecution(s, model::ExecutionStatus::kStopped, std::nullopt, e, stopped_at, t);
    return Status::Ok();
  });
  DURABLE_RETURN_IF_ERROR(st);
  return stopped_at;
}

}  // namespace durable::engine
