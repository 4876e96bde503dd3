#include "durable/sdk/logger.h"

#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

namespace durable::sdk {

LogSink StdoutLogSink() {
  return [](const std::string& line) {
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    std::cout << line << std::endl;
  };
}

std::string IsoTimestamp(TimestampMs ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Logger::Logger(std::shared_ptr<const LogScope> scope, std::optional<std::string> operation_id,
               std::optional<std::string> operation_name, std::optional<int> attempt)
    : scope_(std::move(scope)),
      operation_id_(std::move(operation_id)),
      operation_name_(std::move(operation_name)),
      attempt_(attempt) {}

void Logger::Debug(std::string_view m, const nlohmann::json& x) const {
  Write("DEBUG", m, x, false);
}
void Logger::Info(std::string_view m, const nlohmann::json& x) const { Write("INFO", m, x, false); }
void Logger::Warn(std::string_view m, const nlohmann::json& x) const { Write("WARN", m, x, false); }
void Logger::Error(std::string_view m, const nlohmann::json& x) const {
  Write("ERROR", m, x, false);
}

void Logger::Write(std::string_view level, std::string_view message, const nlohmann::json& extra,
                   bool force) const {
  if (!scope_) return;
  if (!force && scope_->is_replaying && scope_->is_replaying()) return;
  nlohmann::json rec;
  rec["timestamp"] =
      IsoTimestamp(scope_->clock ? scope_->clock->NowMs() : SystemClock::Get()->NowMs());
  rec["level"] = level;
  rec["message"] = message;
  rec["durableExecutionArn"] = scope_->durable_execution_arn;
  if (!scope_->request_id.empty()) rec["requestId"] = scope_->request_id;
  if (operation_id_) rec["operationId"] = *operation_id_;
  if (operation_name_) rec["operationName"] = *operation_name_;
  if (attempt_) rec["attempt"] = *attempt_;
  if (extra.is_object()) {
    for (const auto& [k, v] : extra.items()) {
      if (!rec.contains(k)) rec[k] = v;
    }
  } else if (!extra.is_null()) {
    rec["data"] = extra;
  }
  std::string line = rec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (scope_->sink) {
    scope_->sink(line);
  } else {
    StdoutLogSink()(line);
  }
}

}  // namespace durable::sdk
