#include "durable/sdk/checkpointer.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "durable/base/ids.h"
#include "durable/sdk/errors.h"

namespace durable::sdk {

bool IsInvocationScoped(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidToken:
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

namespace internal {
namespace {

size_t ApproxSize(const model::OperationUpdate& u) {
  size_t n = 256 + u.id.size() + u.name.value_or("").size() + u.payload.value_or("").size();
  if (u.error) {
    n += u.error->error_message.value_or("").size() + u.error->error_data.value_or("").size();
  }
  return n;
}

}  // namespace

Checkpointer::Checkpointer(CheckpointClient* client, std::string arn, std::string token,
                           std::shared_ptr<const std::vector<model::Operation>> operations,
                           CheckpointerOptions options)
    : client_(client), arn_(std::move(arn)), options_(options), token_(std::move(token)) {
  if (operations == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  ops_.reserve(operations->size());
  for (const auto& op : *operations) {
    PutLocked(std::shared_ptr<const model::Operation>(operations, &op));  // aliasing: no allocation
  }
}

void Checkpointer::PutLocked(std::shared_ptr<const model::Operation> op) {
  auto it = ops_.find(std::string_view(op->id));
  if (it == ops_.end()) {
    std::string_view key = op->id;
    ops_.emplace(key, std::move(op));
    return;
  }
  // The key views the old value's id: the node is re-keyed by the new value's id (reused, not
  // freed and allocated again).
  auto node = ops_.extract(it);
  node.key() = op->id;
  node.mapped() = std::move(op);
  ops_.insert(std::move(node));
}

std::shared_ptr<const model::Operation> Checkpointer::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ops_.find(std::string_view(id));
  if (it == ops_.end()) return nullptr;
  return it->second;
}

size_t Checkpointer::operation_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ops_.size();
}

std::vector<model::Operation> Checkpointer::operations() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<model::Operation> out;
  out.reserve(ops_.size());
  for (const auto& [id, op] : ops_) out.push_back(*op);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void Checkpointer::ThrowIfFailed() const {
  if (failure_) {
    ThrowTerminate(IsInvocationScoped(*failure_) ? TerminateSignal::Scope::kInvocation
                                                 : TerminateSignal::Scope::kExecution,
                   model::ErrorObject{"CheckpointError", failure_->message(), {}, {}});
  }
}

void Checkpointer::Fail(const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!failure_) failure_ = status;
  ThrowIfFailed();
  throw TerminateSignal{};  // unreachable
}

uint64_t Checkpointer::Enqueue(model::OperationUpdate update) {
  std::lock_guard<std::mutex> lock(mu_);
  ThrowIfFailed();
  uint64_t seq = next_seq_++;
  queue_.emplace_back(seq, std::move(update));
  return seq;
}

void Checkpointer::FlushAll() {
  uint64_t last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last = next_seq_ - 1;
  }
  Flush(last);
}

void Checkpointer::Flush(uint64_t seq) {
  std::lock_guard<std::mutex> flush_lock(flush_mu_);
  while (true) {
    std::vector<model::OperationUpdate> batch;
    uint64_t batch_last = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ThrowIfFailed();
      if (acked_seq_ >= seq || queue_.empty()) return;
      size_t bytes = 0;
      size_t taken = 0;
      for (; taken < queue_.size(); ++taken) {
        auto& [update_seq, update] = queue_[taken];
        size_t n = ApproxSize(update);
        if (taken > 0 && bytes + n > options_.max_batch_bytes) break;
        // The EXECUTION completion must be the last update of its request.
        if (taken > 0 && update.type == model::OperationType::kExecution) break;
        bytes += n;
        batch_last = update_seq;
      }
      batch.reserve(taken);
      for (size_t i = 0; i < taken; ++i) batch.push_back(std::move(queue_[i].second));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(taken));
    }
    Status st = SendBatch(std::move(batch));
    if (!st.ok()) Fail(st);
    std::lock_guard<std::mutex> lock(mu_);
    acked_seq_ = batch_last;
  }
}

void Checkpointer::Poll() {
  std::lock_guard<std::mutex> flush_lock(flush_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ThrowIfFailed();
  }
  Status st = SendBatch({});
  if (!st.ok()) Fail(st);
}

Status Checkpointer::SendBatch(std::vector<model::OperationUpdate> batch) {
  model::CheckpointRequest request;
  {
    // Lent to the request (one request in flight: flush_mu_) and given back below unless the
    // response brings the next one.
    std::lock_guard<std::mutex> lock(mu_);
    request.checkpoint_token = std::move(token_);
  }
  if (client_->SendsClientTokens()) request.client_token = NewUuid();
  request.updates = std::move(batch);
  Result<model::CheckpointResponse> resp = InvalidArgument("not sent");
  int backoff = options_.retry_backoff_ms;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    resp = client_->Checkpoint(arn_, request);
    bool transient = !resp.ok() && (resp.status().code() == StatusCode::kUnavailable ||
                                    resp.status().code() == StatusCode::kInternal);
    if (!transient) break;
    if (backoff > 0 && attempt < options_.max_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
      backoff *= 2;
    }
  }
  if (!resp.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    token_ = std::move(request.checkpoint_token);
    return resp.status();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    token_ = resp->checkpoint_token ? std::move(*resp->checkpoint_token)
                                    : std::move(request.checkpoint_token);
    for (auto& op : resp->operations) {
      // Moved into the snapshot unless the listener still needs the response's operations.
      PutLocked(listener_ ? std::make_shared<const model::Operation>(op)
                          : std::make_shared<const model::Operation>(std::move(op)));
    }
  }
  if (listener_ && !resp->operations.empty()) listener_(resp->operations);
  return Status::Ok();
}

}  // namespace internal
}  // namespace durable::sdk
