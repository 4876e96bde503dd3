#include "durable/sdk/memory_checkpoint_client.h"

#include <algorithm>
#include <utility>

#include "durable/base/ids.h"
#include "durable/base/macros.h"

namespace durable::sdk {
namespace {

using model::Operation;
using model::OperationAction;
using model::OperationStatus;
using model::OperationType;
using model::OperationUpdate;

std::string LastSegment(const std::string& arn) {
  auto pos = arn.rfind('/');
  return pos == std::string::npos ? arn : arn.substr(pos + 1);
}

}  // namespace

MemoryCheckpointClient::MemoryCheckpointClient(const Clock* clock) : clock_(clock) {}

std::string MemoryCheckpointClient::NewToken() {
  token_ = Base64Encode("token-" + std::to_string(++token_seq_));
  return token_;
}

model::InvocationInput MemoryCheckpointClient::Start(std::optional<std::string> input_payload,
                                                     std::string arn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    arn_ = std::move(arn);
    Operation exec;
    exec.id = LastSegment(arn_);
    exec.type = OperationType::kExecution;
    exec.status = OperationStatus::kStarted;
    exec.start_timestamp = clock_->NowMs();
    exec.execution_details = model::ExecutionDetails{std::move(input_payload)};
    ops_ = {exec};
  }
  return NextInvocation();
}

void MemoryCheckpointClient::SetEnvelopePageSize(size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  page_size_ = n;
}

model::InvocationInput MemoryCheckpointClient::NextInvocation() {
  std::lock_guard<std::mutex> lock(mu_);
  model::InvocationInput in;
  in.durable_execution_arn = arn_;
  in.checkpoint_token = NewToken();
  auto ops = PrunedOperations();
  if (page_size_ > 0 && ops.size() > page_size_) {
    in.initial_execution_state.next_marker = std::to_string(page_size_);
    ops.resize(page_size_);
  }
  in.initial_execution_state.operations = std::move(ops);
  in.updated_operation_ids =
      std::vector<std::string>(updated_between_.begin(), updated_between_.end());
  updated_between_.clear();
  delta_.clear();
  last_tokens_.reset();
  return in;
}

std::vector<Operation> MemoryCheckpointClient::PrunedOperations() const {
  std::vector<Operation> out;
  for (const auto& op : ops_) {
    bool pruned = false;
    for (auto parent = op.parent_id; parent && !pruned;) {
      const Operation* p = Find(*parent);
      if (p == nullptr) break;
      bool replay = p->context_details && p->context_details->replay_children.value_or(false);
      if (model::IsTerminal(p->status) && !replay) pruned = true;
      parent = p->parent_id;
    }
    if (!pruned) out.push_back(op);
  }
  return out;
}

Status MemoryCheckpointClient::CheckToken(const std::string& arn, const std::string& token) const {
  if (arn != arn_) return InvalidToken("Invalid Checkpoint Token: unknown execution");
  if (closed_) return InvalidToken("Invalid Checkpoint Token: execution is closed");
  if (token != token_) return InvalidToken("Invalid Checkpoint Token: stale token");
  return Status::Ok();
}

Result<model::StateResponse> MemoryCheckpointClient::GetState(const std::string& arn,
                                                              const model::StateRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++state_calls_;
  DURABLE_RETURN_IF_ERROR(CheckToken(arn, request.checkpoint_token));
  auto ops = PrunedOperations();
  size_t start = request.marker ? std::stoul(*request.marker) : 0;
  size_t max = request.max_items.value_or(100) > 0 ? size_t(*request.max_items) : 100;
  model::StateResponse resp;
  for (size_t i = start; i < ops.size() && resp.operations.size() < max; ++i) {
    resp.operations.push_back(ops[i]);
  }
  if (start + resp.operations.size() < ops.size()) {
    resp.next_marker = std::to_string(start + resp.operations.size());
  }
  return resp;
}

Result<model::CheckpointResponse> MemoryCheckpointClient::Checkpoint(
    const std::string& arn, const model::CheckpointRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!injected_failures_.empty()) {
    Status s = injected_failures_.front();
    injected_failures_.pop_front();
    return s;
  }
  if (request.client_token && last_tokens_ && last_response_ &&
      *last_tokens_ == std::make_pair(*request.client_token, request.checkpoint_token)) {
    return *last_response_;
  }
  DURABLE_RETURN_IF_ERROR(CheckToken(arn, request.checkpoint_token));
  std::set<std::string> batch_contexts;  // CONTEXT STARTs earlier in this request
  for (const auto& u : request.updates) {
    if (!(u.parent_id && batch_contexts.count(*u.parent_id))) {
      DURABLE_RETURN_IF_ERROR(Validate(u));
    }
    if (u.type == OperationType::kContext && u.action == OperationAction::kStart) {
      batch_contexts.insert(u.id);
    }
  }
  for (const auto& u : request.updates) Apply(u);
  requests_.push_back(request);
  model::CheckpointResponse resp;
  if (!closed_) resp.checkpoint_token = NewToken();
  for (const auto& op : ops_) {
    if (delta_.count(op.id)) resp.operations.push_back(op);
  }
  delta_.clear();
  if (request.client_token) {
    last_tokens_ = std::make_pair(*request.client_token, request.checkpoint_token);
    last_response_ = resp;
  }
  return resp;
}

Status MemoryCheckpointClient::Validate(const OperationUpdate& u) const {
  if (u.id.empty()) return InvalidArgument("Operation update must have an Id.");
  if (u.type == OperationType::kExecution) return Status::Ok();
  const Operation* op = Find(u.id);
  if (op != nullptr) {
    if (op->type != u.type) return InvalidArgument("Inconsistent operation type.");
    if (u.sub_type && op->sub_type != u.sub_type) {
      return InvalidArgument("Inconsistent operation subtype.");
    }
    if (u.name && op->name != u.name) return InvalidArgument("Inconsistent operation name.");
  }
  if (u.parent_id) {
    const Operation* parent = Find(*u.parent_id);
    if (parent == nullptr || parent->type != OperationType::kContext) {
      return InvalidArgument("Invalid parent operation id.");
    }
  }
  auto status = op ? std::optional<OperationStatus>(op->status) : std::nullopt;
  switch (u.type) {
    case OperationType::kStep:
      if (u.action == OperationAction::kStart && status && status != OperationStatus::kReady) {
        return InvalidArgument("Invalid current STEP state to start.");
      }
      if (u.action != OperationAction::kStart && status && model::IsTerminal(*status)) {
        return InvalidArgument("Invalid current STEP state to close.");
      }
      if (u.action == OperationAction::kRetry &&
          (!u.step_options || !u.step_options->next_attempt_delay_seconds)) {
        return InvalidArgument("Invalid StepOptions for the given action.");
      }
      return Status::Ok();
    case OperationType::kContext:
      if (u.action == OperationAction::kStart && status) {
        return InvalidArgument("Cannot start a CONTEXT that already exists.");
      }
      if (u.action != OperationAction::kStart && status && model::IsTerminal(*status)) {
        return InvalidArgument("Invalid current CONTEXT state to close.");
      }
      return Status::Ok();
    case OperationType::kWait:
      if (u.action == OperationAction::kStart &&
          (status || !u.wait_options || u.wait_options->wait_seconds.value_or(0) < 1)) {
        return InvalidArgument("Cannot start a WAIT that already exists.");
      }
      return Status::Ok();
    default:
      if (u.action == OperationAction::kStart && status) {
        return InvalidArgument("Cannot start an operation that already exists.");
      }
      return Status::Ok();
  }
}

void MemoryCheckpointClient::Apply(const OperationUpdate& u) {
  TimestampMs now = clock_->NowMs();
  if (u.type == OperationType::kExecution) {
    closed_ = true;
    if (u.action == OperationAction::kSucceed) result_ = u.payload.value_or("");
    if (u.action == OperationAction::kFail) error_ = u.error.value_or(model::ErrorObject{});
    return;
  }
  Operation* op = Find(u.id);
  if (op == nullptr) {
    Operation fresh;
    fresh.id = u.id;
    fresh.parent_id = u.parent_id;
    fresh.name = u.name;
    fresh.type = u.type;
    fresh.sub_type = u.sub_type;
    fresh.start_timestamp = now;
    ops_.push_back(fresh);
    op = &ops_.back();
  }
  Touch(u.id, false);
  bool terminal = u.action == OperationAction::kSucceed || u.action == OperationAction::kFail;
  if (terminal) op->end_timestamp = now;
  switch (u.type) {
    case OperationType::kStep: {
      auto& d = op->step_details ? *op->step_details : op->step_details.emplace();
      if (u.action == OperationAction::kStart) {
        op->status = OperationStatus::kStarted;
        d.next_attempt_timestamp.reset();
      } else if (u.action == OperationAction::kRetry) {
        op->status = OperationStatus::kPending;
        d.attempt += 1;
        d.next_attempt_timestamp = now + *u.step_options->next_attempt_delay_seconds * 1000;
        d.result = u.payload;
        d.error = u.error;
      } else {
        op->status = terminal && u.action == OperationAction::kSucceed ? OperationStatus::kSucceeded
                                                                       : OperationStatus::kFailed;
        d.attempt += 1;
        d.result = u.payload;
        d.error = u.error;
      }
      break;
    }
    case OperationType::kContext: {
      auto& d = op->context_details ? *op->context_details : op->context_details.emplace();
      if (u.context_options && u.context_options->replay_children) {
        d.replay_children = u.context_options->replay_children;
      }
      if (u.action == OperationAction::kStart) op->status = OperationStatus::kStarted;
      if (u.action == OperationAction::kSucceed) op->status = OperationStatus::kSucceeded;
      if (u.action == OperationAction::kFail) op->status = OperationStatus::kFailed;
      d.result = u.payload;
      d.error = u.error;
      break;
    }
    case OperationType::kWait:
      op->status = OperationStatus::kStarted;
      op->wait_details = model::WaitDetails{now + *u.wait_options->wait_seconds * 1000};
      break;
    case OperationType::kCallback:
      op->status = OperationStatus::kStarted;
      op->callback_details = model::CallbackDetails{
          Base64Encode(arn_ + "#" + u.id + "#" + std::to_string(++callback_seq_)), {}, {}};
      break;
    case OperationType::kChainedInvoke:
      op->status = OperationStatus::kStarted;
      op->chained_invoke_details = model::ChainedInvokeDetails{};
      break;
    case OperationType::kExecution:
      break;
  }
}

void MemoryCheckpointClient::Touch(const std::string& id, bool async) {
  delta_.insert(id);
  if (async) updated_between_.insert(id);
}

Operation* MemoryCheckpointClient::Find(const std::string& id) {
  for (auto& op : ops_) {
    if (op.id == id) return &op;
  }
  return nullptr;
}

const Operation* MemoryCheckpointClient::Find(const std::string& id) const {
  return const_cast<MemoryCheckpointClient*>(this)->Find(id);
}

Operation* MemoryCheckpointClient::FindCallback(const std::string& callback_id) {
  for (auto& op : ops_) {
    if (op.callback_details && op.callback_details->callback_id == callback_id) return &op;
  }
  return nullptr;
}

int MemoryCheckpointClient::FireTimers(bool ignore_time) {
  std::lock_guard<std::mutex> lock(mu_);
  TimestampMs now = clock_->NowMs();
  int fired = 0;
  for (auto& op : ops_) {
    if (op.type == OperationType::kWait && op.status == OperationStatus::kStarted &&
        (ignore_time || op.wait_details->scheduled_end_timestamp.value_or(0) <= now)) {
      op.status = OperationStatus::kSucceeded;
      op.end_timestamp = now;
    } else if (op.type == OperationType::kStep && op.status == OperationStatus::kPending &&
               (ignore_time || op.step_details->next_attempt_timestamp.value_or(0) <= now)) {
      op.status = OperationStatus::kReady;
    } else {
      continue;
    }
    Touch(op.id, true);
    ++fired;
  }
  return fired;
}

Status MemoryCheckpointClient::SucceedCallback(const std::string& callback_id,
                                               std::optional<std::string> result) {
  std::lock_guard<std::mutex> lock(mu_);
  Operation* op = FindCallback(callback_id);
  if (op == nullptr || op->status != OperationStatus::kStarted) {
    return CallbackClosed("callback is not open");
  }
  op->status = OperationStatus::kSucceeded;
  op->end_timestamp = clock_->NowMs();
  op->callback_details->result = std::move(result);
  Touch(op->id, true);
  return Status::Ok();
}

Status MemoryCheckpointClient::FailCallback(const std::string& callback_id,
                                            model::ErrorObject error) {
  std::lock_guard<std::mutex> lock(mu_);
  Operation* op = FindCallback(callback_id);
  if (op == nullptr || op->status != OperationStatus::kStarted) {
    return CallbackClosed("callback is not open");
  }
  op->status = OperationStatus::kFailed;
  op->end_timestamp = clock_->NowMs();
  op->callback_details->error = std::move(error);
  Touch(op->id, true);
  return Status::Ok();
}

Status MemoryCheckpointClient::TimeOutCallback(const std::string& callback_id,
                                               std::string error_type) {
  std::lock_guard<std::mutex> lock(mu_);
  Operation* op = FindCallback(callback_id);
  if (op == nullptr || op->status != OperationStatus::kStarted) {
    return CallbackClosed("callback is not open");
  }
  op->status = OperationStatus::kTimedOut;
  op->end_timestamp = clock_->NowMs();
  op->callback_details->error = model::ErrorObject{error_type, "Callback timed out", {}, {}};
  Touch(op->id, true);
  return Status::Ok();
}

Status MemoryCheckpointClient::FinishChainedInvoke(const std::string& operation_id,
                                                   model::OperationStatus status,
                                                   std::optional<std::string> result,
                                                   std::optional<model::ErrorObject> error) {
  std::lock_guard<std::mutex> lock(mu_);
  Operation* op = Find(operation_id);
  if (op == nullptr || op->type != OperationType::kChainedInvoke ||
      op->status != OperationStatus::kStarted) {
    return FailedPrecondition("chained invoke is not running");
  }
  op->status = status;
  op->end_timestamp = clock_->NowMs();
  op->chained_invoke_details = model::ChainedInvokeDetails{std::move(result), std::move(error)};
  Touch(op->id, true);
  return Status::Ok();
}

void MemoryCheckpointClient::FailNextCheckpoint(Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  injected_failures_.push_back(std::move(status));
}

std::vector<model::CheckpointRequest> MemoryCheckpointClient::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<Operation> MemoryCheckpointClient::operations() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ops_;
}

std::optional<Operation> MemoryCheckpointClient::operation(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  const Operation* op = Find(id);
  return op ? std::optional<Operation>(*op) : std::nullopt;
}

std::optional<Operation> MemoryCheckpointClient::FindByName(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& op : ops_) {
    if (op.name == name) return op;
  }
  return std::nullopt;
}

std::optional<std::string> MemoryCheckpointClient::checkpointed_result() const {
  std::lock_guard<std::mutex> lock(mu_);
  return result_;
}

std::optional<model::ErrorObject> MemoryCheckpointClient::checkpointed_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

bool MemoryCheckpointClient::execution_closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

int MemoryCheckpointClient::state_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_calls_;
}

}  // namespace durable::sdk
