// Invocation (internal): the state one handler invocation shares between all its contexts —
// the Checkpointer, the replay flag, the logger scope and the plugins. Created by
// RunDurableInvocation; contexts hold it by shared_ptr. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "durable/base/clock.h"
#include "durable/sdk/checkpointer.h"
#include "durable/sdk/logger.h"
#include "durable/sdk/plugin.h"

namespace durable::sdk::internal {

class Invocation {
 public:
  Invocation(std::unique_ptr<Checkpointer> checkpointer, std::string arn, std::string request_id,
             const Clock* clock, LogSink sink, std::vector<std::shared_ptr<Plugin>> plugins,
             bool replaying,
             std::shared_ptr<const std::vector<model::Operation>> initial_operations);

  Checkpointer& checkpointer() { return *checkpointer_; }
  const std::string& arn() const { return arn_; }
  const Clock& clock() const { return *clock_; }
  std::shared_ptr<const LogScope> log_scope() const { return log_scope_; }

  // True while the handler is re-running operations that completed in earlier invocations.
  bool replaying() const { return replaying_->load(); }
  // Called when an operation has no completed state: from now on the code does new work.
  void MarkExecuting() { replaying_->store(false); }
  // Records that the handler reached completed operation `id` (and so never needs its
  // descendants); replay ends once every completed operation of the initial state was reached.
  void MarkVisited(const std::string& id);

  // Calls `hook` on every plugin, swallowing whatever a plugin throws.
  template <typename F>
  void NotifyPlugins(F&& hook) {
    for (auto& p : plugins_) {
      try {
        hook(*p);
      } catch (...) {
      }
    }
  }
  bool has_plugins() const { return !plugins_.empty(); }
  // UpdatedOperationIds of the envelope: operations the engine changed since the last invocation.
  void SetUpdatedOperationIds(const std::vector<std::string>& ids) {
    updated_ids_ = std::set<std::string>(ids.begin(), ids.end());
  }
  bool WasUpdated(const std::string& id) const { return updated_ids_.count(id) > 0; }
  OperationInfo InfoOf(const model::Operation& op) const;

 private:
  std::unique_ptr<Checkpointer> checkpointer_;
  const std::string arn_;
  const Clock* clock_;
  std::vector<std::shared_ptr<Plugin>> plugins_;
  std::shared_ptr<std::atomic<bool>> replaying_;
  std::set<std::string> updated_ids_;  // set before the handler runs, then read-only
  std::mutex visit_mu_;
  // Views of the ids in `initial_operations_` (kept alive here): hashing views of the K ids of a
  // replay costs no string copies and no tree nodes.
  std::shared_ptr<const std::vector<model::Operation>> initial_operations_;
  std::unordered_set<std::string_view> unvisited_;  // completed ops not reached yet
  std::unordered_multimap<std::string_view, std::string_view> children_;  // parent -> child id
  std::shared_ptr<const LogScope> log_scope_;
};

}  // namespace durable::sdk::internal
