// Work started by a request that its own thread runs once the request has been answered.
//
// A request that starts work it does not wait for (a callback's result resuming a suspended
// execution) would otherwise hand that work to another thread, and on an idle machine that thread
// waits ~0.1 ms to be woken on a halted CPU. Instead: the thread that serves requests opens a
// `Runner` per request and runs what it collected after the response is written and the
// connection handed back (http::Server); a route whose handler does not wait for the work it
// starts opens an `Allow` around that call; and code that would wake another thread first asks
// `Deferrable` and hands the task to `Defer` (host::InProcessInvoker). Both must be open on the
// calling thread, so work a handler waits for (a synchronous Invoke) is never deferred behind its
// own response.
#pragma once

#include <functional>
#include <vector>

namespace durable::after_reply {

// Collects deferred tasks on this thread while it lives; RunAll runs them. Tasks still held
// when it is destroyed are run then: deferred work is never dropped.
class Runner {
 public:
  Runner();
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  // Runs (on this thread, in order) every task deferred so far, including ones they defer.
  void RunAll();

 private:
  Runner* previous_;
  std::vector<std::function<void()>> tasks_;
  friend void Defer(std::function<void()> task);
};

// Marks this thread's current call as one whose caller does not wait for the work it starts.
class Allow {
 public:
  Allow();
  ~Allow();
  Allow(const Allow&) = delete;
  Allow& operator=(const Allow&) = delete;

 private:
  bool previous_;
};

// True if a Runner and an Allow are open on this thread.
bool Deferrable();
// Hands `task` to this thread's Runner to run after the reply. Only where Deferrable(); elsewhere
// it runs `task` at once (work is never dropped).
void Defer(std::function<void()> task);

}  // namespace durable::after_reply
