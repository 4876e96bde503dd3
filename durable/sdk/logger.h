// Replay-aware JSON logger handed to user code (DurableContext::logger(), StepContext::logger()).
// Each record is one JSON object per line with `message`, `level`, `timestamp` (ISO-8601 UTC),
// `durableExecutionArn`, `requestId`, and `operationId` / `operationName` / `attempt` inside a
// step. Records are suppressed while the SDK is replaying operations that already completed, so
// a line appears once per execution rather than once per invocation. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "durable/base/clock.h"

namespace durable::sdk {

// Where log lines go (default: stdout, one line per record, flushed).
using LogSink = std::function<void(const std::string& line)>;
LogSink StdoutLogSink();

// Formats epoch milliseconds as "2026-01-02T03:04:05.678Z".
std::string IsoTimestamp(TimestampMs ms);

struct LogScope {
  std::string durable_execution_arn;
  std::string request_id;
  const Clock* clock = nullptr;
  LogSink sink;
  std::function<bool()> is_replaying;  // empty = never replaying
};

class Logger {
 public:
  Logger() = default;
  Logger(std::shared_ptr<const LogScope> scope, std::optional<std::string> operation_id,
         std::optional<std::string> operation_name, std::optional<int> attempt);

  void Debug(std::string_view message, const nlohmann::json& extra = nullptr) const;
  void Info(std::string_view message, const nlohmann::json& extra = nullptr) const;
  void Warn(std::string_view message, const nlohmann::json& extra = nullptr) const;
  void Error(std::string_view message, const nlohmann::json& extra = nullptr) const;
  // Writes even while replaying.
  void Write(std::string_view level, std::string_view message, const nlohmann::json& extra,
             bool force) const;

 private:
  std::shared_ptr<const LogScope> scope_;
  std::optional<std::string> operation_id_;
  std::optional<std::string> operation_name_;
  std::optional<int> attempt_;
};

}  // namespace durable::sdk
