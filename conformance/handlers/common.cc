#include "conformance/handlers/common.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>

#include "durable/sdk/invocation.h"

namespace durable::conformance {

std::string AsString(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string ToUpper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

sdk::RetryStrategy FixedRetry(int max_attempts, int64_t delay_seconds) {
  sdk::RetryOptions options;
  options.max_attempts = max_attempts;
  options.initial_delay_seconds = static_cast<double>(delay_seconds);
  options.max_delay_seconds = static_cast<double>(delay_seconds);
  options.backoff_rate = 1;
  options.jitter = sdk::Jitter::kNone;
  return sdk::ExponentialBackoff(options);
}

void Fail(const std::string& message) { throw sdk::UserError("Error", message); }

void CrashProcess() {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(1);
}

int BumpAttemptCounter(const std::string& execution_arn, const std::string& key) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp && *tmp ? tmp : "/tmp";
  std::string path = dir + "/durable-conformance-" + key + "-" +
                     std::to_string(std::hash<std::string>{}(execution_arn)) + ".count";
  int count = 0;
  {
    std::ifstream in(path);
    in >> count;
  }
  std::ofstream out(path, std::ios::trunc);
  out << ++count << std::flush;
  return count;
}

void FlushCheckpoints(DurableContext& context) { context.invocation().checkpointer().FlushAll(); }

std::string TargetFunction(const char* variable) {
  const char* v = std::getenv(variable);
  if (!v || !*v) Fail(std::string("environment variable ") + variable + " is not set");
  return v;
}

}  // namespace durable::conformance
