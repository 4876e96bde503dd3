// The Lambda Runtime API (2018-06-01) as served to function processes, one path prefix per
// process (/runtime/<token>/...), plus the captured-logs endpoint.
#include <signal.h>

#include <cstdlib>

#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/host/process.h"
#include "durable/host/process_pool.h"
#include "durable/wire/wire.h"

namespace durable::host {
namespace {

using State = Instance::State;

void Reply(http::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.content_type = "application/json";
}

void Accepted(http::Response& res) { Reply(res, 202, R"({"status":"OK"})"); }

void RuntimeError(http::Response& res, int status, const std::string& type,
                  const std::string& message) {
  // type and message are fixed ASCII strings written by us: no escaping needed.
  Reply(res, status, R"({"errorType":")" + type + R"(","errorMessage":")" + message + R"("})");
}

// Runtime error bodies use camelCase keys ({errorType, errorMessage, stackTrace}); the wire
// ErrorObject parser reads PascalCase. In valid JSON an unescaped `"key"` followed by ':' can
// only be a member name, so renaming those occurrences is exact.
std::string PascalCaseErrorKeys(std::string body) {
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"\"errorType\"", "\"ErrorType\""},
        {"\"errorMessage\"", "\"ErrorMessage\""},
        {"\"stackTrace\"", "\"StackTrace\""}}) {
    for (size_t pos = body.find(from); pos != std::string::npos; pos = body.find(from, pos)) {
      size_t after = body.find_first_not_of(" \t\r\n", pos + from.size());
      if (after != std::string::npos && body[after] == ':') body.replace(pos, from.size(), to);
      pos += from.size();
    }
  }
  return body;
}

model::ErrorObject ParseRuntimeError(const http::Request& req, const std::string& default_type) {
  model::ErrorObject error;
  auto parsed = wire::ParseErrorObjectBody(PascalCaseErrorKeys(req.body));
  if (parsed.ok() && parsed->has_value()) {
    error = **parsed;
  } else if (!parsed.ok()) {
    error.error_message = req.body.substr(0, 4096);
  }
  if (!error.error_type || error.error_type->empty()) {
    error.error_type = req.Header("Lambda-Runtime-Function-Error-Type").value_or(default_type);
  }
  return error;
}

std::string TraceId(TimestampMs now_ms) {
  char epoch_hex[16];
  std::snprintf(epoch_hex, sizeof(epoch_hex), "%08llx",
                static_cast<unsigned long long>(now_ms / 1000));
  std::string uuid = NewUuid();
  std::string hex;
  for (char c : uuid) {
    if (c != '-') hex.push_back(c);
  }
  return "Root=1-" + std::string(epoch_hex) + "-" + hex.substr(0, 24) +
         ";Parent=" + hex.substr(24, 8) + hex.substr(0, 8) + ";Sampled=0";
}

// Function name from a path label: a name, or a (partial) function ARN with optional qualifier.
std::string FunctionNameFromLabel(const std::string& label) {
  size_t fn = label.find(":function:");
  if (fn == std::string::npos) return label;
  std::string rest = label.substr(fn + 10);
  return rest.substr(0, rest.find(':'));
}

}  // namespace

void ProcessInvoker::RegisterRoutes(http::Server& server) {
  Impl* im = impl_.get();
  server.Route("", {"runtime"}, [im](const http::Request& req, http::Response& res) {
    im->HandleRuntime(req, res);
  });
  server.Route("GET", {"durable", "v1", "functions"},
               [im](const http::Request& req, http::Response& res) { im->HandleLogs(req, res); });
}

void ProcessInvoker::Impl::HandleRuntime(const http::Request& req, http::Response& res) {
  const auto& s = req.segments;  // runtime, <token>, 2018-06-01, runtime, ...
  if (s.size() < 5 || s[2] != "2018-06-01" || s[3] != "runtime") {
    return RuntimeError(res, 404, "NotFound", "unknown runtime API path");
  }
  InstancePtr inst;
  {
    std::lock_guard lock(mu);
    auto it = instances.find(s[1]);
    if (it != instances.end()) inst = it->second;
  }
  if (!inst) return RuntimeError(res, 403, "InvalidRuntimeToken", "unknown runtime token");
  if (s.size() == 6 && s[4] == "invocation" && s[5] == "next" && req.method == "GET") {
    return HandleNext(inst, res);
  }
  if (s.size() == 7 && s[4] == "invocation" && req.method == "POST") {
    if (s[6] == "response") return HandleResponse(inst, s[5], req, res);
    if (s[6] == "error") return HandleInvocationError(inst, s[5], req, res);
  }
  if (s.size() == 6 && s[4] == "init" && s[5] == "error" && req.method == "POST") {
    return HandleInitError(inst, req, res);
  }
  RuntimeError(res, 404, "NotFound", "unknown runtime API path");
}

void ProcessInvoker::Impl::HandleNext(const InstancePtr& inst, http::Response& res) {
  Completions completions;
  std::unique_lock lock(mu);
  if (inst->current) {  // asked for more work without answering the last invocation
    completions.emplace_back(std::move(inst->current),
                             FunctionError("Runtime.InvalidResponse",
                                           "the runtime requested the next invocation without "
                                           "posting a response"));
    inst->current.reset();
  }
  if (inst->state == State::kStarting || inst->state == State::kBusy) {
    inst->state = State::kIdle;
    inst->idle_since = std::chrono::steady_clock::now();
  }
  FunctionState& fn = functions[inst->function_name];
  cv.wait(lock, [&] { return stopping || inst->state != State::kIdle || !fn.queue.empty(); });
  if (stopping || inst->state != State::kIdle) {
    lock.unlock();
    Deliver(completions);
    return RuntimeError(res, 410, "SandboxStopping", "this runtime is being stopped");
  }
  InvocationPtr inv = fn.queue.front();
  fn.queue.pop_front();
  inst->state = State::kBusy;
  inst->current = inv;
  inst->timed_out = false;
  inst->busy_deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(inv->timeout_ms);
  TimestampMs deadline_ms = clock->NowMs() + inv->timeout_ms;
  lock.unlock();
  Deliver(completions);
  res.status = 200;
  res.content_type = "application/json";
  res.body = wire::SerializeInvocationInput(inv->request.input);
  res.headers.emplace("Lambda-Runtime-Aws-Request-Id", inv->request.request_id);
  res.headers.emplace("Lambda-Runtime-Deadline-Ms", std::to_string(deadline_ms));
  res.headers.emplace("Lambda-Runtime-Invoked-Function-Arn", FunctionArn(inst->function_name));
  res.headers.emplace("Lambda-Runtime-Trace-Id", TraceId(clock->NowMs()));
}

void ProcessInvoker::Impl::HandleResponse(const InstancePtr& inst, const std::string& request_id,
                                          const http::Request& req, http::Response& res) {
  InvocationPtr inv;
  {
    std::lock_guard lock(mu);
    if (!inst->current || inst->current->request.request_id != request_id) {
      return RuntimeError(res, 400, "InvalidRequestID", "no such in-flight request id");
    }
    inv = std::move(inst->current);
    inst->current.reset();
    inst->state = State::kIdle;  // it will ask for the next invocation right away
    inst->idle_since = std::chrono::steady_clock::now();
  }
  ReadPipes(*inst);  // lines printed before answering are in the store before `done` runs
  engine::InvocationResult result;
  auto output = wire::ParseInvocationOutput(req.body);
  if (output.ok()) {
    result.output = std::move(output).value();
  } else {
    result = FunctionError("Runtime.InvalidOutput",
                           "invalid invocation output: " + output.status().message());
  }
  Completions completions;
  completions.emplace_back(std::move(inv), std::move(result));
  Deliver(completions);
  Accepted(res);
}

void ProcessInvoker::Impl::HandleInvocationError(const InstancePtr& inst,
                                                 const std::string& request_id,
                                                 const http::Request& req, http::Response& res) {
  InvocationPtr inv;
  {
    std::lock_guard lock(mu);
    if (!inst->current || inst->current->request.request_id != request_id) {
      return RuntimeError(res, 400, "InvalidRequestID", "no such in-flight request id");
    }
    inv = std::move(inst->current);
    inst->current.reset();
    inst->state = State::kIdle;
    inst->idle_since = std::chrono::steady_clock::now();
  }
  ReadPipes(*inst);
  engine::InvocationResult result;
  result.function_error = ParseRuntimeError(req, "Unhandled");
  Completions completions;
  completions.emplace_back(std::move(inv), std::move(result));
  Deliver(completions);
  Accepted(res);
}

void ProcessInvoker::Impl::HandleInitError(const InstancePtr& inst, const http::Request& req,
                                           http::Response& res) {
  model::ErrorObject error = ParseRuntimeError(req, "Runtime.InitError");
  Completions completions;
  {
    std::lock_guard lock(mu);
    log::Warn("function {}: init error: {}", inst->function_name, error.error_message.value_or(""));
    auto fn = functions.find(inst->function_name);
    if (fn != functions.end()) RecordInitFailure(fn->second, error, completions);
    if (inst->current) {
      engine::InvocationResult r;
      r.function_error = error;
      completions.emplace_back(std::move(inst->current), std::move(r));
      inst->current.reset();
    }
    inst->state = State::kStopping;  // like Lambda, a sandbox that failed to init is discarded
    SignalProcessGroup(inst->pid, SIGKILL);
    cv.notify_all();
  }
  Deliver(completions);
  Accepted(res);
}

void ProcessInvoker::Impl::HandleLogs(const http::Request& req, http::Response& res) {
  const auto& s = req.segments;  // durable, v1, functions, <name>, logs
  if (s.size() != 5 || s[4] != "logs") {
    res.headers.emplace("X-Amzn-ErrorType", "UnknownOperationException");
    return Reply(res, 404, wire::SerializeErrorBody("unknown path", false));
  }
  TimestampMs since = 0;
  if (auto q = req.Query("since")) {
    char* end = nullptr;
    double v = std::strtod(q->c_str(), &end);
    if (end == q->c_str() || *end != '\0') {
      res.headers.emplace("X-Amzn-ErrorType", "InvalidParameterValueException");
      return Reply(res, 400, wire::SerializeErrorBody("since must be epoch milliseconds", false));
    }
    since = static_cast<TimestampMs>(v);
  }
  Reply(res, 200, SerializeLogLines(logs.Since(FunctionNameFromLabel(s[3]), since)));
}

}  // namespace durable::host
