// CheckpointDurableExecution and GetDurableExecutionState (protocol.md §6.2, §7).
#include <utility>

#include "durable/base/macros.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/names.h"
#include "durable/wire/wire.h"

namespace durable::engine {
namespace {

void AddUnique(std::vector<std::string>& v, const std::string& id) {
  if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
}

}  // namespace

Result<model::CheckpointResponse> EngineImpl::RememberedAnswer(
    const std::string& arn, const model::CheckpointRequest& request, const std::string& hash,
    Status otherwise) {
  auto replay = store_->FindReplay(arn, *request.client_token, request.checkpoint_token);
  if (!replay.ok()) return Internal("storage error: " + replay.status().message());
  if (!replay->has_value()) return otherwise;
  const store::CheckpointReplay& r = **replay;
  if (r.request_hash != hash) {
    return InvalidArgument(
        "The ClientToken and CheckpointToken were already used with a different request.");
  }
  auto parsed = wire::ParseCheckpointResponse(r.response_body);
  if (!parsed.ok()) return Internal("stored checkpoint response: " + parsed.status().message());
  parsed->serialized = r.response_body;
  return parsed;
}

Result<model::CheckpointResponse> EngineImpl::Checkpoint(const std::string& arn,
                                                         const model::CheckpointRequest& request) {
  const bool has_client_token = request.client_token && !request.client_token->empty();
  // The request's fingerprint goes with its remembered answer (only kept with a client token).
  const std::string hash =
      has_client_token ? HashHex(wire::SerializeCheckpointRequest(request)) : std::string();
  model::CheckpointResponse response;
  Effects fx;
  {
    auto locked_or = LockLive(arn);
    if (!locked_or.ok()) {
      if (locked_or.status().code() != StatusCode::kNotFound) return locked_or.status();
      return InvalidToken("Invalid Checkpoint Token: unknown durable execution " + arn);
    }
    LockedLive locked = std::move(locked_or).value();
    std::shared_ptr<Live> live = locked.live;
    // The token this invocation was last given, byte for byte, is valid while the execution is
    // open (same execution, invocation and sequence): no need to decode it. Anything else (the
    // envelope's token, errors) goes through the full check.
    const bool current = live->inflight && !live->inflight->token.empty() &&
                         request.checkpoint_token == live->inflight->token && live->state.Open();
    Status token =
        current ? Status::Ok() : CheckToken(*live, request.checkpoint_token, /*for_read=*/false);
    if (!token.ok()) {
      // A remembered answer can exist only for a token that was already used: the current
      // token's answer is stored in the same commit that moves the token on. So the store is
      // asked only now (an SDK retrying a request whose answer it lost).
      if (!has_client_token) return token;
      locked.lock.unlock();
      return RememberedAnswer(arn, request, hash, std::move(token));
    }
    CoreContext ctx = MakeContext();
    ExecutionState& scratch = live->state;
    ChangeGuard guard(scratch);  // rolls back on any error
    Transition t;
    DURABLE_RETURN_IF_ERROR(ApplyCheckpointBatch(scratch, request.updates, ctx, t));
    FireDueOperations(scratch, ctx.now, t);
    t.request_invocation = false;  // the invocation in flight sees the changes in this response
    Inflight& inf = *live->inflight;
    if (scratch.Open()) {
      response.checkpoint_token = MakeCheckpointToken(
          {scratch.execution.execution_id, inf.invocation_id, inf.sequence + 1});
    }
    std::vector<std::string> ids = std::move(t.response_ids);  // only the response needs them
    for (const auto& id : inf.undelivered) AddUnique(ids, id);
    for (const auto& id : t.async_changed_ids) AddUnique(ids, id);
    response.operations.reserve(ids.size());
    for (const auto& id : ids) {
      if (const auto* rec = std::as_const(scratch).Find(id)) {
        response.operations.push_back(rec->operation);
      }
    }
    // The answer is remembered byte for byte (with a client token); the HTTP route then sends
    // those bytes. Without one, nothing needs the JSON here (an in-process caller never does).
    std::optional<store::CheckpointReplay> replay;
    if (has_client_token) {
      response.serialized = wire::SerializeCheckpointResponse(response);
      replay = store::CheckpointReplay{*request.client_token, request.checkpoint_token, hash,
                                       *response.serialized};
    }
    if (!t.Empty() || replay) {
      DURABLE_RETURN_IF_ERROR(CommitLocked(*live, scratch, t, fx, std::move(replay)));
      guard.Commit();
    }
    live->inflight->sequence += 1;
    // Assigned, not replaced: the tokens are of one length, so the string's buffer is reused.
    if (response.checkpoint_token) {
      live->inflight->token = *response.checkpoint_token;
    } else {
      live->inflight->token.clear();
    }
    live->inflight->undelivered.clear();
  }
  RunEffects(std::move(fx));
  return response;
}

Result<model::StateResponse> EngineImpl::GetState(const std::string& arn,
                                                  const model::StateRequest& request) {
  auto live_or = LockLive(arn);
  if (!live_or.ok()) {
    if (live_or.status().code() != StatusCode::kNotFound) return live_or.status();
    return InvalidToken("Invalid Checkpoint Token: unknown durable execution " + arn);
  }
  LockedLive live = std::move(live_or).value();
  int32_t max_items = request.max_items.value_or(0);
  if (max_items < 0 || max_items > 1000) {
    return InvalidArgument("MaxItems must be between 0 and 1000.");
  }
  if (max_items == 0) max_items = 100;
  DURABLE_RETURN_IF_ERROR(CheckToken(*live, request.checkpoint_token, /*for_read=*/true));
  Inflight& inf = *live->inflight;
  if (request.marker && !request.marker->empty()) {
    for (const auto& [snapshot, ops] : inf.snapshots) {
      auto index = ParseMarker(*request.marker, inf.invocation_id + "/" + std::to_string(snapshot));
      if (index && *index <= static_cast<int64_t>(ops.size())) {
        return Page(inf, snapshot, static_cast<size_t>(*index), static_cast<size_t>(max_items));
      }
    }
    return InvalidArgument("Invalid Marker.");
  }
  int64_t snapshot = inf.next_snapshot++;
  inf.snapshots[snapshot] = VisibleOperations(live->state);
  model::StateResponse page = Page(inf, snapshot, 0, static_cast<size_t>(max_items));
  if (!page.next_marker) inf.snapshots.erase(snapshot);
  return page;
}

}  // namespace durable::engine
