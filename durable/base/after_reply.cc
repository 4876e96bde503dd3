#include "durable/base/after_reply.h"

#include <exception>
#include <utility>

#include "durable/base/log.h"

namespace durable::after_reply {
namespace {

thread_local Runner* t_runner = nullptr;
thread_local bool t_allowed = false;

}  // namespace

Runner::Runner() : previous_(t_runner) { t_runner = this; }

Runner::~Runner() {
  RunAll();
  t_runner = previous_;
}

void Runner::RunAll() {
  // A task runs with this runner still installed but outside any Allow (the request has been
  // answered), so what it starts is handed to other threads as usual.
  bool allowed = std::exchange(t_allowed, false);
  for (size_t i = 0; i < tasks_.size(); ++i) {
    std::function<void()> task = std::move(tasks_[i]);
    try {
      task();
    } catch (const std::exception& e) {
      log::Error("after_reply: a deferred task threw: {}", e.what());
    } catch (...) {
      log::Error("after_reply: a deferred task threw a non-exception");
    }
  }
  tasks_.clear();
  t_allowed = allowed;
}

Allow::Allow() : previous_(t_allowed) { t_allowed = true; }

Allow::~Allow() { t_allowed = previous_; }

bool Deferrable() { return t_runner != nullptr && t_allowed; }

void Defer(std::function<void()> task) {
  if (!Deferrable()) {
    task();
    return;
  }
  t_runner->tasks_.push_back(std::move(task));
}

}  // namespace durable::after_reply
