// Results and configuration of Parallel and Map. A batch result lists every item (branch or map
// element) with its status, its result or error, the completion reason, and convenience
// accessors. The untyped RawBatchResult is what is checkpointed (item results are payload
// strings); BatchResult<T> is its typed view. Values; thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "durable/base/result.h"
#include "durable/model/types.h"
#include "durable/sdk/errors.h"
#include "durable/sdk/serdes.h"

namespace durable::sdk {

enum class BatchItemStatus { kSucceeded, kFailed, kStarted };
enum class CompletionReason { kAllCompleted, kMinSuccessfulReached, kFailureToleranceExceeded };
std::string ToString(BatchItemStatus s);
std::string ToString(CompletionReason r);

// When a batch stops early. Unset members do not constrain. The batch completes as soon as
// `min_successful` items succeeded, or fails fast once failures exceed the tolerated count or
// percentage (of all items); otherwise it runs every item (ALL_COMPLETED).
struct CompletionConfig {
  std::optional<int> min_successful{};
  std::optional<int> tolerated_failure_count{};
  std::optional<double> tolerated_failure_percentage{};
};

// NESTED: one CONTEXT operation per item. FLAT: items are virtual contexts (no checkpoint of
// their own); their operations report the Parallel/Map context as ParentId.
enum class Nesting { kNested, kFlat };

struct RawBatchItem {
  size_t index = 0;
  std::string name;
  BatchItemStatus status = BatchItemStatus::kStarted;
  std::optional<std::string> payload{};
  std::optional<model::ErrorObject> error{};
};

struct RawBatchResult {
  std::vector<RawBatchItem> items;  // in index order; only items that were started
  CompletionReason completion_reason = CompletionReason::kAllCompleted;
  size_t total_items = 0;  // items the caller supplied
};

std::string SerializeRawBatch(const RawBatchResult& batch);
Result<RawBatchResult> ParseRawBatch(const std::string& payload);
// The summary checkpointed instead of a batch larger than 256 KiB (`type` MapResult /
// ParallelResult): counts, completion reason and status, without item results.
std::string BatchSummary(const RawBatchResult& batch, const std::string& type);

template <typename T>
struct BatchItem {
  size_t index = 0;
  std::string name;
  BatchItemStatus status = BatchItemStatus::kStarted;
  std::optional<T> result{};
  std::optional<model::ErrorObject> error{};
};

template <typename T>
class BatchResult {
 public:
  BatchResult() = default;
  BatchResult(std::vector<BatchItem<T>> items, CompletionReason reason)
      : items_(std::move(items)), reason_(reason) {}

  const std::vector<BatchItem<T>>& all() const { return items_; }
  CompletionReason completion_reason() const { return reason_; }
  size_t total_count() const { return items_.size(); }
  size_t success_count() const { return Count(BatchItemStatus::kSucceeded); }
  size_t failure_count() const { return Count(BatchItemStatus::kFailed); }
  size_t started_count() const { return Count(BatchItemStatus::kStarted); }
  bool has_failure() const { return failure_count() > 0; }
  // "SUCCEEDED" when no item failed, "FAILED" otherwise.
  std::string status() const { return has_failure() ? "FAILED" : "SUCCEEDED"; }

  std::vector<BatchItem<T>> Succeeded() const { return Filter(BatchItemStatus::kSucceeded); }
  std::vector<BatchItem<T>> Failed() const { return Filter(BatchItemStatus::kFailed); }
  // Results of the succeeded items, in index order.
  std::vector<T> Results() const {
    std::vector<T> out;
    for (const auto& i : items_) {
      if (i.status == BatchItemStatus::kSucceeded && i.result) out.push_back(*i.result);
    }
    return out;
  }
  std::vector<model::ErrorObject> Errors() const {
    std::vector<model::ErrorObject> out;
    for (const auto& i : items_) {
      if (i.error) out.push_back(*i.error);
    }
    return out;
  }
  // Throws the first item error (as a DurableError) if any item failed.
  void ThrowIfError() const {
    for (const auto& i : items_) {
      if (i.status == BatchItemStatus::kFailed) {
        throw DurableError(i.error.value_or(model::ErrorObject{}));
      }
    }
  }

 private:
  size_t Count(BatchItemStatus s) const {
    size_t n = 0;
    for (const auto& i : items_) n += i.status == s;
    return n;
  }
  std::vector<BatchItem<T>> Filter(BatchItemStatus s) const {
    std::vector<BatchItem<T>> out;
    for (const auto& i : items_) {
      if (i.status == s) out.push_back(i);
    }
    return out;
  }
  std::vector<BatchItem<T>> items_;
  CompletionReason reason_ = CompletionReason::kAllCompleted;
};

template <typename T>
BatchResult<T> ToTyped(const RawBatchResult& raw, const Serdes<T>& item_serdes) {
  std::vector<BatchItem<T>> items;
  for (const auto& r : raw.items) {
    BatchItem<T> i{r.index, r.name, r.status, std::nullopt, r.error};
    if (r.status == BatchItemStatus::kSucceeded)
      i.result = item_serdes.deserialize(r.payload.value_or(""));
    items.push_back(std::move(i));
  }
  return BatchResult<T>(std::move(items), raw.completion_reason);
}

template <typename T>
RawBatchResult ToRaw(const BatchResult<T>& typed, const Serdes<T>& item_serdes) {
  RawBatchResult raw;
  raw.completion_reason = typed.completion_reason();
  for (const auto& i : typed.all()) {
    RawBatchItem r{i.index, i.name, i.status, std::nullopt, i.error};
    if (i.result) r.payload = item_serdes.serialize(*i.result);
    raw.items.push_back(std::move(r));
  }
  raw.total_items = raw.items.size();
  return raw;
}

// The default operation-level serdes of a batch: SerializeRawBatch of the item payloads.
template <typename T>
Serdes<BatchResult<T>> DefaultBatchSerdes(Serdes<T> item_serdes) {
  return Serdes<BatchResult<T>>{
      [item_serdes](const BatchResult<T>& b) { return SerializeRawBatch(ToRaw(b, item_serdes)); },
      [item_serdes](const std::string& payload) {
        auto raw = ParseRawBatch(payload);
        if (!raw.ok()) ThrowInvalidArgument("unreadable batch result: " + raw.status().message());
        return ToTyped(*raw, item_serdes);
      }};
}

}  // namespace durable::sdk
