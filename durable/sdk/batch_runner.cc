// Parallel / Map item scheduling: items run as child contexts on their own threads, at most
// `max_concurrency` at a time, started in index order. After each item the completion config
// is checked; once it is met no further item starts (running ones are joined). When no item can
// make progress because the rest wait on the engine, the whole operation suspends.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {
namespace {

enum class ItemState { kNotStarted, kRunning, kSucceeded, kFailed, kSuspended };

struct Item {
  ItemState state = ItemState::kNotStarted;
  std::string payload;
  model::ErrorObject error;
};

std::optional<CompletionReason> Reached(const CompletionConfig& c, size_t total, int succeeded,
                                        int failed) {
  if (c.tolerated_failure_count && failed > *c.tolerated_failure_count) {
    return CompletionReason::kFailureToleranceExceeded;
  }
  if (c.tolerated_failure_percentage && total > 0 &&
      failed * 100.0 / static_cast<double>(total) > *c.tolerated_failure_percentage) {
    return CompletionReason::kFailureToleranceExceeded;
  }
  if (c.min_successful && succeeded >= *c.min_successful) {
    return CompletionReason::kMinSuccessfulReached;
  }
  return std::nullopt;
}

}  // namespace

RawBatchResult DurableContext::RunBatchRaw(const RawBatchSpec& spec) {
  const size_t n = spec.count;
  std::vector<OpRef> refs;
  for (size_t i = 0; i < n; ++i) {
    refs.push_back(NextOp(model::OperationType::kContext, spec.item_sub_type, spec.item_name(i)));
  }
  RawChildOptions options;
  options.sub_type = spec.item_sub_type;
  options.is_virtual = spec.nesting == Nesting::kFlat;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<Item> items(n);
  size_t next = 0;
  int running = 0, succeeded = 0, failed = 0, blocked = 0;
  std::optional<CompletionReason> stop;
  std::optional<internal::TerminateSignal> terminate;
  std::vector<std::thread> threads;

  auto run_item = [&](size_t i) {
    Item result;
    std::optional<internal::TerminateSignal> term;
    try {
      result.payload =
          RunChildOp(refs[i], options, [&](DurableContext& c) { return spec.run_item(c, i); });
      result.state = ItemState::kSucceeded;
    } catch (const internal::SuspendSignal&) {
      result.state = ItemState::kSuspended;
    } catch (const internal::TerminateSignal& t) {
      result.state = ItemState::kSuspended;
      term = t;
    } catch (...) {
      result.state = ItemState::kFailed;
      result.error = ErrorFromException(std::current_exception());
    }
    std::lock_guard<std::mutex> lock(mu);
    items[i] = std::move(result);
    succeeded += items[i].state == ItemState::kSucceeded;
    failed += items[i].state == ItemState::kFailed;
    blocked += items[i].state == ItemState::kSuspended;
    if (term && !terminate) terminate = term;
    --running;
    cv.notify_all();
  };

  {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      if (!stop) stop = Reached(spec.completion, n, succeeded, failed);
      // A branch blocked on the engine keeps its slot, as in the JS SDK.
      bool slot = !spec.max_concurrency || running + blocked < *spec.max_concurrency;
      if (!stop && !terminate && next < n && slot) {
        size_t i = next++;
        if (replaying_children_ && !options.is_virtual && !inv_->checkpointer().Get(refs[i].id)) {
          continue;  // never started before the batch completed: leave it out
        }
        items[i].state = ItemState::kRunning;
        ++running;
        threads.emplace_back(run_item, i);
        continue;
      }
      if (running == 0) break;
      cv.wait(lock);
    }
  }
  for (auto& t : threads) t.join();
  if (terminate) throw *terminate;

  RawBatchResult out;
  out.total_items = n;
  bool suspended = false;
  for (size_t i = 0; i < n; ++i) {
    const Item& item = items[i];
    if (item.state == ItemState::kNotStarted) continue;
    RawBatchItem r;
    r.index = i;
    r.name = spec.item_name(i);
    if (item.state == ItemState::kSucceeded) {
      r.status = BatchItemStatus::kSucceeded;
      r.payload = item.payload;
    } else if (item.state == ItemState::kFailed) {
      r.status = BatchItemStatus::kFailed;
      r.error = item.error;
    } else {
      r.status = BatchItemStatus::kStarted;
      suspended = true;
    }
    out.items.push_back(std::move(r));
  }
  if (suspended && !stop && !replaying_children_) internal::ThrowSuspend();
  out.completion_reason = stop.value_or(CompletionReason::kAllCompleted);
  return out;
}

}  // namespace durable::sdk
