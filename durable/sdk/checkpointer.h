// Checkpointer (internal): the invocation's view of the execution state plus the checkpoint
// queue. Updates are queued in the order operations produce them and sent in batches of at most
// 750 KiB with exactly one request in flight; a fresh ClientToken per request, reused when the
// same request is retried after 429/5xx. A failed checkpoint is sticky: every later call throws
// internal::TerminateSignal, which unwinds user code. Thread-safe (branches of parallel/map share
// one Checkpointer).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "durable/sdk/checkpoint_client.h"

namespace durable::sdk::internal {

struct CheckpointerOptions {
  size_t max_batch_bytes = 750 * 1024;
  int max_attempts = 3;        // per request, for 429 / 5xx / network errors
  int retry_backoff_ms = 100;  // doubled per retry; 0 in tests
};

class Checkpointer {
 public:
  using ChangeListener = std::function<void(const std::vector<model::Operation>& changed)>;

  // Knows the initial state's `operations` (may be null): each entry points into that shared block
  // (one allocation for all of them, not one per operation) and keeps it alive.
  Checkpointer(CheckpointClient* client, std::string arn, std::string token,
               std::shared_ptr<const std::vector<model::Operation>> operations,
               CheckpointerOptions options = {});

  // The latest known state of operation `id` (null if unknown): a shared, immutable snapshot,
  // so a lookup copies nothing (a later checkpoint response replaces the entry, not the object).
  std::shared_ptr<const model::Operation> Get(const std::string& id) const;
  size_t operation_count() const;
  std::vector<model::Operation> operations() const;  // ordered by id

  // Queues an update; returns its sequence number. Throws TerminateSignal after a failure.
  uint64_t Enqueue(model::OperationUpdate update);
  // Returns once every update up to `seq` was acknowledged (sending what is queued).
  void Flush(uint64_t seq);
  void FlushAll();
  // Enqueue + Flush.
  void Send(model::OperationUpdate update) { Flush(Enqueue(std::move(update))); }
  // An empty checkpoint: refreshes the token and merges asynchronous state changes.
  void Poll();
  // Called (outside locks) with the operations of every checkpoint response.
  void SetChangeListener(ChangeListener listener) { listener_ = std::move(listener); }

 private:
  Status SendBatch(std::vector<model::OperationUpdate> batch);
  [[noreturn]] void Fail(const Status& status);
  void ThrowIfFailed() const;

  CheckpointClient* client_;
  const std::string arn_;
  const CheckpointerOptions options_;
  ChangeListener listener_;

  mutable std::mutex mu_;  // guards everything below
  void PutLocked(std::shared_ptr<const model::Operation> op);
  // Keyed by a view of the value's own id (the operation is immutable and the entry owns it), so
  // an entry costs no key copy (ids are 16 characters: one past the short-string buffer).
  std::unordered_map<std::string_view, std::shared_ptr<const model::Operation>> ops_;
  // Not a deque: an OperationUpdate is large enough that a deque would allocate a block per
  // element. Usually holds one or two updates between flushes; drained from the front.
  std::vector<std::pair<uint64_t, model::OperationUpdate>> queue_;
  uint64_t next_seq_ = 1;
  uint64_t acked_seq_ = 0;
  std::string token_;
  std::optional<Status> failure_;

  std::mutex flush_mu_;  // one request in flight
};

}  // namespace durable::sdk::internal
