#include "durable/host/in_process_invoker.h"

#include <algorithm>
#include <exception>

#include "durable/base/after_reply.h"

namespace durable::host {
namespace {

engine::InvocationResult Error(std::string type, std::string message) {
  engine::InvocationResult r;
  model::ErrorObject e;
  e.error_type = std::move(type);
  e.error_message = std::move(message);
  r.function_error = std::move(e);
  return r;
}

}  // namespace

InProcessInvoker::InProcessInvoker(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

InProcessInvoker::~InProcessInvoker() { Shutdown(); }

void InProcessInvoker::Register(const std::string& handler_name, InProcessHandler handler) {
  std::lock_guard lock(mu_);
  handlers_[handler_name] = std::move(handler);
}

void InProcessInvoker::AddFunction(const std::string& function_name,
                                   const std::string& handler_name) {
  std::lock_guard lock(mu_);
  function_handlers_[function_name] = handler_name;
}

bool InProcessInvoker::HasHandler(const std::string& handler_name) const {
  std::lock_guard lock(mu_);
  return handlers_.count(handler_name) > 0;
}

const InProcessHandler* InProcessInvoker::FindLocked(const std::string& function_name) const {
  auto mapped = function_handlers_.find(function_name);
  const std::string& name = mapped != function_handlers_.end() ? mapped->second : function_name;
  auto it = handlers_.find(name);
  return it == handlers_.end() ? nullptr : &it->second;
}

bool InProcessInvoker::Has(const std::string& function_name) const {
  std::lock_guard lock(mu_);
  return FindLocked(function_name) != nullptr;
}

void InProcessInvoker::Invoke(engine::InvocationRequest request,
                              std::function<void(engine::InvocationResult)> done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && after_reply::Deferrable() &&
        after_reply_running_ < static_cast<int>(workers_.size())) {
      // Run on the calling thread after its reply instead of waking a worker.
      ++after_reply_running_;
      after_reply::Defer([this, task = Task{std::move(request), std::move(done)}]() mutable {
        engine::InvocationResult result = Run(std::move(task.request));
        task.done(std::move(result));
        std::lock_guard lock(mu_);
        --after_reply_running_;
        cv_.notify_all();
      });
      return;
    }
    if (!stopping_) {
      queue_.push_back(Task{std::move(request), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Error("Sandbox.Shutdown", "the server is stopping"));
}

engine::InvocationResult InProcessInvoker::Run(engine::InvocationRequest request) {
  InProcessHandler handler;
  {
    std::lock_guard lock(mu_);
    const InProcessHandler* h = FindLocked(request.function_name);
    if (h == nullptr) {
      return Error("ResourceNotFoundException",
                   "no in-process handler for function " + request.function_name);
    }
    handler = *h;
  }
  try {
    engine::InvocationResult result = handler(std::move(request));
    if (!result.output && !result.function_error) {
      return Error("Runtime.InvalidOutput", "the handler returned neither output nor error");
    }
    return result;
  } catch (const std::exception& e) {
    return Error("Runtime.HandlerException", e.what());
  } catch (...) {
    return Error("Runtime.HandlerException", "unknown exception");
  }
}

void InProcessInvoker::WorkerLoop() {
  while (true) {
    Task task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    engine::InvocationResult result = Run(std::move(task.request));
    task.done(std::move(result));
  }
}

void InProcessInvoker::Shutdown() {
  std::deque<Task> abandoned;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    abandoned.swap(queue_);
    cv_.notify_all();
  }
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return after_reply_running_ == 0; });
  }
  workers_.clear();
  for (Task& task : abandoned) task.done(Error("Sandbox.Shutdown", "the server is stopping"));
}

}  // namespace durable::host
