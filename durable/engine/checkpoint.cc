// Batch-level validation of a checkpoint and dispatch to the per-type files (protocol.md §6.4).
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "durable/base/macros.h"
#include "durable/engine/core.h"

namespace durable::engine {
namespace {

using model::OperationAction;
using model::OperationType;

bool ValidOperationId(const std::string& id) {
  if (id.empty() || id.size() > model::kMaxOperationIdLength) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

size_t ErrorSize(const model::ErrorObject& e) {
  size_t n = 64;
  if (e.error_type) n += e.error_type->size() + 16;
  if (e.error_message) n += e.error_message->size() + 16;
  if (e.error_data) n += e.error_data->size() + 16;
  if (e.stack_trace) {
    for (const auto& line : *e.stack_trace) n += line.size() + 4;
  }
  return n;
}

Status CheckBatchShape(const std::vector<model::OperationUpdate>& updates) {
  int executions = 0;
  for (const auto& u : updates) executions += u.type == OperationType::kExecution ? 1 : 0;
  if (executions > 1) return InvalidArgument("Cannot checkpoint multiple EXECUTION updates.");
  for (size_t i = 0; i + 1 < updates.size(); ++i) {
    if (updates[i].type == OperationType::kExecution) {
      return InvalidArgument("EXECUTION checkpoint must be the last update.");
    }
  }
  return Status::Ok();
}

// The ids a batch updated so far: how often, and the first action. Keyed by views of the
// batch's own ids. Most batches hold one or two updates (a step's START and SUCCEED): those are
// scanned in a small vector; large ones (map and parallel branches) get a hash index.
class SeenIds {
 public:
  struct Entry {
    OperationAction first = OperationAction::kStart;
    int count = 0;
  };
  explicit SeenIds(size_t batch_size) : hashed_(batch_size > kScanLimit) {
    if (hashed_) {
      by_id_.reserve(batch_size);
    } else {
      scan_.reserve(batch_size);
    }
  }
  Entry& operator[](std::string_view id) {
    if (hashed_) return by_id_[id];
    for (auto& [key, entry] : scan_) {
      if (key == id) return entry;
    }
    return scan_.emplace_back(id, Entry{}).second;
  }

 private:
  static constexpr size_t kScanLimit = 16;
  bool hashed_;
  std::vector<std::pair<std::string_view, Entry>> scan_;
  std::unordered_map<std::string_view, Entry> by_id_;
};

// The same id may appear twice only as a STEP/CONTEXT START followed by one non-START action.
Status CheckDuplicate(SeenIds& seen, const model::OperationUpdate& u) {
  SeenIds::Entry& e = seen[u.id];
  if (e.count > 0) {
    bool allowed = e.count == 1 && e.first == OperationAction::kStart &&
                   u.action != OperationAction::kStart &&
                   (u.type == OperationType::kStep || u.type == OperationType::kContext);
    if (!allowed)
      return InvalidArgument("Cannot update the same operation twice in a single request.");
  } else {
    e.first = u.action;
  }
  ++e.count;
  return Status::Ok();
}

Status CheckCommon(const ExecutionState& s, const model::OperationUpdate& u,
                   const CoreContext& ctx) {
  if (!ValidOperationId(u.id)) {
    return InvalidArgument("Operation Id must be 1-64 characters of [a-zA-Z0-9-_].");
  }
  if (u.name && u.name->size() > model::kMaxNameLength) {
    return InvalidArgument("Operation name must be at most 256 characters.");
  }
  if (u.parent_id) {
    const auto* parent = s.Find(*u.parent_id);
    if (!parent || parent->operation.type != OperationType::kContext) {
      return InvalidArgument("Invalid parent operation id.");
    }
  }
  if (const auto* cur = s.Find(u.id)) {
    const auto& op = cur->operation;
    if (op.type != u.type) return InvalidArgument("Inconsistent operation type.");
    if (u.sub_type && op.sub_type != u.sub_type) {
      return InvalidArgument("Inconsistent operation subtype.");
    }
    if (u.name && op.name != u.name) return InvalidArgument("Inconsistent operation name.");
    if (u.parent_id && op.parent_id != u.parent_id) {
      return InvalidArgument("Inconsistent parent operation id.");
    }
  }
  if (u.error && ErrorSize(*u.error) > ctx.limits.max_error_bytes) {
    return InvalidArgument("Error object size must be less than 32768 bytes.");
  }
  if (u.payload && u.payload->size() > ctx.limits.max_payload_chars) {
    return InvalidArgument("Payload size must be at most " +
                           std::to_string(ctx.limits.max_payload_chars) + " characters.");
  }
  return Status::Ok();
}

Status ApplyOne(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
                Transition& t) {
  switch (u.type) {
    case OperationType::kStep:
      return ApplyStepUpdate(s, u, ctx, t);
    case OperationType::kContext:
      return ApplyContextUpdate(s, u, ctx, t);
    case OperationType::kWait:
      return ApplyWaitUpdate(s, u, ctx, t);
    case OperationType::kCallback:
      return ApplyCallbackUpdate(s, u, ctx, t);
    case OperationType::kChainedInvoke:
      return ApplyChainedInvokeUpdate(s, u, ctx, t);
    case OperationType::kExecution:
      return ApplyExecutionUpdate(s, u, ctx, t);
  }
  return InvalidArgument("Unknown operation type.");
}

}  // namespace

model::OperationRecord& CreateOperation(ExecutionState& s, const model::OperationUpdate& u,
                                        TimestampMs now) {
  model::OperationRecord& rec = s.AddNew(u.id);
  rec.operation.parent_id = u.parent_id;
  rec.operation.name = u.name;
  rec.operation.type = u.type;
  rec.operation.sub_type = u.sub_type;
  rec.operation.start_timestamp = now;
  rec.operation.status = model::OperationStatus::kStarted;
  return rec;
}

Status ApplyCheckpointBatch(ExecutionState& s, const std::vector<model::OperationUpdate>& updates,
                            const CoreContext& ctx, Transition& t) {
  DURABLE_RETURN_IF_ERROR(CheckBatchShape(updates));
  SeenIds seen(updates.size());
  for (const auto& u : updates) {
    if (u.id.empty()) return InvalidArgument("Operation update must have an Id.");
    if (u.type != OperationType::kExecution) {
      DURABLE_RETURN_IF_ERROR(CheckDuplicate(seen, u));
      DURABLE_RETURN_IF_ERROR(CheckCommon(s, u, ctx));
    }
    DURABLE_RETURN_IF_ERROR(ApplyOne(s, u, ctx, t));
  }
  return Status::Ok();
}

}  // namespace durable::engine
